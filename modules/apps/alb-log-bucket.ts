import { Construct } from "constructs";
import { suppressGuardrail } from "../guardrails/suppressions";
import { SecureBucket } from "../storage/secure-bucket";

/**
 * Elastic Load Balancing's log-delivery account per region, for regions opened before August 2022 (later regions
 * deliver as the `logdelivery.elasticloadbalancing.amazonaws.com` service).
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-southeast-3": "589379963580",
  "ap-south-1": "718504428378",
  "ap-northeast-3": "383597477331",
  "ap-northeast-2": "600734575887",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-northeast-1": "582318560864",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-south-1": "635631232127",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
};

/** Key prefix the ALB writes its access logs under. */
export const ALB_LOG_PREFIX = "alb";

export interface AlbLogBucketProps {
  /** Full, globally unique bucket name. */
  readonly bucketName: string;
  /** Account of the ALB, whose log prefix the policy opens. */
  readonly accountId: string;
  /** Region of the ALB: picks Elastic Load Balancing's log-delivery principal. */
  readonly region: string;
  /** Days access log records are kept. */
  readonly retentionDays: number;
  /** Bucket receiving this bucket's own server access logs. */
  readonly accessLogs: SecureBucket;
  /** Adds Terraform `prevent_destroy`. */
  readonly preventDestroy: boolean;
}

/**
 * The bucket the public ALB writes its access logs to: the SecureBucket baseline with SSE-S3 (ALB access logging
 * supports no other encryption), writable by Elastic Load Balancing's log delivery for this account only, records
 * expired after the retention.
 */
export class AlbLogBucket extends SecureBucket {
  constructor(scope: Construct, id: string, props: AlbLogBucketProps) {
    const account = ELB_LOG_DELIVERY_ACCOUNTS[props.region];
    super(scope, id, {
      bucketName: props.bucketName,
      encryption: "S3_MANAGED",
      accessLogs: props.accessLogs,
      expirationDays: props.retentionDays,
      noncurrentVersionDays: 7,
      preventDestroy: props.preventDestroy,
      policyStatements: [
        {
          Sid: "ElbAccessLogDelivery",
          Effect: "Allow",
          Principal: account ? { AWS: `arn:aws:iam::${account}:root` } : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `arn:aws:s3:::${props.bucketName}/${ALB_LOG_PREFIX}/AWSLogs/${props.accountId}/*`,
        },
      ],
    });
    suppressGuardrail(this, "s3-sse-kms", "Application Load Balancer access logs can only be delivered to SSE-S3 (AES256) buckets");
  }
}
