import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { IamRole, serviceTrust } from "../iam/iam-role";
import { PolicyStatement } from "../iam/policy-document";
import { EncryptionKey } from "../kms/kms-key";
import { LogGroup } from "../logging/log-group";

/** Where CloudTrail writes in the audit log bucket. */
export const TRAIL_KEY_PREFIX = "cloudtrail";

/** The trail's name and ARN, known before it exists (the bucket and key policies name it). */
export function trailName(namePrefix: string): string {
  return `${namePrefix}-audit`;
}
export function trailArn(namePrefix: string, region: string, accountId: string): string {
  return `arn:aws:cloudtrail:${region}:${accountId}:trail/${trailName(namePrefix)}`;
}

/** The bucket policy statements CloudTrail needs: read the bucket's ACL and write under its prefix, for this trail only. */
export function trailBucketStatements(bucketArn: string, trail: string, accountId: string): PolicyStatement[] {
  return [
    { Sid: "CloudTrailChecksAcl", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: bucketArn, Condition: { StringEquals: { "aws:SourceArn": trail } } },
    {
      Sid: "CloudTrailWritesLogs",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${bucketArn}/${TRAIL_KEY_PREFIX}/AWSLogs/${accountId}/*`,
      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trail } },
    },
  ];
}

/** The key policy statements CloudTrail needs to encrypt this trail's log files (and describe the key). */
export function trailKeyStatements(trail: string, accountId: string): PolicyStatement[] {
  return [
    {
      Sid: "CloudTrailEncryptsLogs",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": trail }, StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${accountId}:trail/*` } },
    },
    { Sid: "CloudTrailDescribesKey", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:DescribeKey", Resource: "*", Condition: { StringEquals: { "aws:SourceArn": trail } } },
  ];
}

export interface AuditTrailProps {
  /** Resource name prefix, `<project>-<env>`; the trail is `<prefix>-audit`. */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly region: string;
  /** The audit log bucket (its policy admits this trail) and its key (its policy too). */
  readonly bucketName: string;
  readonly bucketPolicy: ITerraformDependable;
  readonly key: EncryptionKey;
  /** Buckets whose object reads and writes are recorded (S3 data events): customer data and state. */
  readonly dataEventBuckets: readonly string[];
  /** Days the trail's log group keeps events. */
  readonly retentionDays: number;
  /** Turns on the log group's deletion protection (production). */
  readonly deletionProtection: boolean;
}

/**
 * The account's trail: every region's management events (global services included) and the S3 data events of the
 * named buckets, to the audit log bucket (KMS, log file validation) and to a CloudWatch log group, where the security
 * alarms' metric filters read it. One trail for the account (the first copy of management events is free).
 */
export class AuditTrail extends Construct {
  /** The log group the trail delivers to (the security alarms' metric filters read it). */
  readonly logGroup: LogGroup;
  /** The trail's ARN. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const name = trailName(props.namePrefix);
    this.logGroup = new LogGroup(this, "logs", {
      name: `/${props.namePrefix}/security/cloudtrail`,
      retentionDays: props.retentionDays,
      encryptionKey: props.key,
      logClass: "audit",
      deletionProtection: props.deletionProtection,
    });
    const delivery = new IamRole(this, "logs-role", {
      roleName: `${name}-logs`,
      description: "CloudTrail: deliver the audit trail's events to its log group",
      trust: [serviceTrust("cloudtrail.amazonaws.com", props.accountId, trailArn(props.namePrefix, props.region, props.accountId))],
      statements: [
        {
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `arn:aws:logs:${props.region}:${props.accountId}:log-group:${this.logGroup.name}:log-stream:${props.accountId}_CloudTrail_*`,
        },
      ],
    });
    const trail = new Cloudtrail(this, "trail", {
      name,
      s3BucketName: props.bucketName,
      s3KeyPrefix: TRAIL_KEY_PREFIX,
      kmsKeyId: props.key.arn,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      cloudWatchLogsGroupArn: `${this.logGroup.arn}:*`,
      cloudWatchLogsRoleArn: delivery.arn,
      advancedEventSelector: [
        { name: "Management events", fieldSelector: [{ field: "eventCategory", equalTo: ["Management"] }] },
        {
          name: "Object reads and writes of customer data and state",
          fieldSelector: [
            { field: "eventCategory", equalTo: ["Data"] },
            { field: "resources.type", equalTo: ["AWS::S3::Object"] },
            { field: "resources.ARN", startsWith: props.dataEventBuckets.map((bucket) => `arn:aws:s3:::${bucket}/`) },
          ],
        },
      ],
      // CloudTrail checks the bucket policy and the delivery role when it creates the trail.
      dependsOn: [props.bucketPolicy],
    });
    delivery.grantsBefore(trail);
    this.arn = trail.arn;
  }
}
