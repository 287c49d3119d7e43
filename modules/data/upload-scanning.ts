import { GuarddutyMalwareProtectionPlan } from "@cdktf/provider-aws/lib/guardduty-malware-protection-plan";
import { Construct } from "constructs";
import { IamRole, serviceTrust } from "../iam/iam-role";
import { suppressGuardrail } from "../guardrails/suppressions";
import { EncryptionKey } from "../kms/kms-key";
import { AlertRule } from "../observability/alert-rule";
import { AlarmDestination } from "../observability/threshold-alarm";

/** The object tag GuardDuty Malware Protection for S3 writes on every object it scans. */
export const SCAN_STATUS_TAG = "GuardDutyMalwareScanStatus";
/** Its value on an object found clean: the only uploads the analysis jobs may read. */
export const CLEAN_SCAN_STATUS = "NO_THREATS_FOUND";

/** The role GuardDuty's malware scan of the uploads bucket runs with (known before it exists, for the data perimeter). */
export function malwareScanRoleName(namePrefix: string): string {
  return `${namePrefix}-uploads-malware-scan`;
}

export interface UploadScanningProps {
  /** Resource name prefix, `<project>-<env>`. */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly region: string;
  /** The bucket whose new objects are scanned. */
  readonly bucket: { readonly name: string; readonly arn: string };
  /** The key the bucket's objects are encrypted with. */
  readonly key: EncryptionKey;
  /** Where a malicious upload is reported. */
  readonly alerts: AlarmDestination;
}

/**
 * A quarantine for uploads: GuardDuty Malware Protection for S3 scans every new object of the bucket and tags it with
 * the result (`GuardDutyMalwareScanStatus`); the analysis jobs may read only objects tagged `NO_THREATS_FOUND` (their
 * grant says so), so an infected, unscanned or failed-to-scan file is never parsed; a file found infected raises an
 * alert. The plan's role has what AWS's documentation gives it: its managed EventBridge rule, the bucket's
 * notifications, reading and tagging the objects, its validation object and the bucket key through S3
 * (https://docs.aws.amazon.com/guardduty/latest/ug/malware-protection-s3-iam-policy-prerequisite.html).
 */
export class UploadScanning extends Construct {
  constructor(scope: Construct, id: string, props: UploadScanningProps) {
    super(scope, id);
    const managedRules = `arn:aws:events:${props.region}:${props.accountId}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*`;
    const role = new IamRole(this, "role", {
      roleName: malwareScanRoleName(props.namePrefix),
      description: "GuardDuty Malware Protection for S3: scan and tag the uploads bucket's new objects",
      trust: [serviceTrust("malware-protection-plan.guardduty.amazonaws.com", props.accountId, `arn:aws:guardduty:${props.region}:${props.accountId}:malware-protection-plan/*`)],
      statements: [
        {
          Sid: "ManageItsEventBridgeRule",
          Effect: "Allow",
          Action: ["events:PutRule", "events:DeleteRule", "events:PutTargets", "events:RemoveTargets"],
          Resource: managedRules,
          Condition: { StringLike: { "events:ManagedBy": "malware-protection-plan.guardduty.amazonaws.com" } },
        },
        { Sid: "WatchItsEventBridgeRule", Effect: "Allow", Action: ["events:DescribeRule", "events:ListTargetsByRule"], Resource: managedRules },
        { Sid: "BucketNotifications", Effect: "Allow", Action: ["s3:PutBucketNotification", "s3:GetBucketNotification", "s3:ListBucket"], Resource: props.bucket.arn },
        { Sid: "ValidationObject", Effect: "Allow", Action: "s3:PutObject", Resource: `${props.bucket.arn}/malware-protection-resource-validation-object` },
        {
          Sid: "ScanAndTag",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging", "s3:GetObjectVersionTagging", "s3:PutObjectTagging", "s3:PutObjectVersionTagging"],
          Resource: `${props.bucket.arn}/*`,
        },
        {
          Sid: "BucketKeyThroughS3",
          Effect: "Allow",
          Action: ["kms:GenerateDataKey", "kms:Decrypt"],
          Resource: props.key.arn,
          Condition: { StringEquals: { "kms:ViaService": `s3.${props.region}.amazonaws.com` } },
        },
      ],
    });
    suppressGuardrail(role, "s3-object-grants-prefixed", "GuardDuty's malware scan reads and tags every new object of the uploads bucket, whatever its tenant (AWS's documented policy); it is one of the data perimeter's named roles");
    const plan = new GuarddutyMalwareProtectionPlan(this, "plan", {
      role: role.arn,
      protectedResource: [{ s3Bucket: [{ bucketName: props.bucket.name }] }],
      actions: [{ tagging: [{ status: "ENABLED" }] }],
    });
    // GuardDuty checks the role's permissions when it creates the plan.
    role.grantsBefore(plan);

    new AlertRule(this, "infected", {
      destination: props.alerts,
      name: "upload-infected",
      description: "An upload GuardDuty found malicious, to the alerts topic (the analysis jobs cannot read it)",
      eventPattern: {
        source: ["aws.guardduty"],
        "detail-type": ["GuardDuty Malware Protection Object Scan Result"],
        detail: { s3ObjectDetails: { bucketName: [props.bucket.name] }, scanResultDetails: { scanResultStatus: ["THREATS_FOUND"] } },
      },
      message: {
        inputPaths: { bucket: "$.detail.s3ObjectDetails.bucketName", key: "$.detail.s3ObjectDetails.objectKey" },
        inputTemplate: '"Malware found in s3://<bucket>/<key>: the analysis jobs cannot read it. Find its tenant from the key, then delete it and tell them."',
      },
    });
  }
}
