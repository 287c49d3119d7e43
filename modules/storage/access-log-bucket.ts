import { Construct } from "constructs";
import { suppressGuardrail } from "../guardrails/suppressions";
import { SecureBucket } from "./secure-bucket";

export interface AccessLogBucketProps {
  /** Full, globally unique bucket name. */
  readonly bucketName: string;
  /** Account whose buckets deliver their logs here. */
  readonly accountId: string;
  /** Names of the buckets that may deliver logs, as an ARN pattern suffix, e.g. `proteomics-dev-*`. */
  readonly sourceBucketPattern: string;
  /** Days access log records are kept. */
  readonly retentionDays: number;
  /** Adds Terraform `prevent_destroy`. @default true */
  readonly preventDestroy?: boolean;
}

/**
 * The target of other buckets' S3 server access logs: the baseline of {@link SecureBucket} with SSE-S3 (log delivery
 * cannot write to an SSE-KMS bucket), a policy that admits the S3 logging service for the account's own buckets
 * only, and expiry of the records after the retention.
 */
export class AccessLogBucket extends SecureBucket {
  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id, {
      bucketName: props.bucketName,
      encryption: "S3_MANAGED",
      expirationDays: props.retentionDays,
      noncurrentVersionDays: 7,
      preventDestroy: props.preventDestroy,
      policyStatements: [
        {
          Sid: "S3ServerAccessLogDelivery",
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `arn:aws:s3:::${props.bucketName}/*`,
          Condition: {
            StringEquals: { "aws:SourceAccount": props.accountId },
            ArnLike: { "aws:SourceArn": `arn:aws:s3:::${props.sourceBucketPattern}` },
          },
        },
      ],
    });
    suppressGuardrail(this, "s3-sse-kms", "S3 server access log delivery supports only SSE-S3 (AES256) on the destination bucket");
    suppressGuardrail(this, "s3-access-logging", "the access log bucket cannot log to itself; S3 would log its own log deliveries");
  }
}
