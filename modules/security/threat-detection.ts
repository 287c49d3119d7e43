import { GuarddutyDetector } from "@cdktf/provider-aws/lib/guardduty-detector";
import { GuarddutyDetectorFeature } from "@cdktf/provider-aws/lib/guardduty-detector-feature";
import { GuarddutyPublishingDestination } from "@cdktf/provider-aws/lib/guardduty-publishing-destination";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { PolicyStatement } from "../iam/policy-document";
import { EncryptionKey } from "../kms/kms-key";

/** Where GuardDuty exports its findings in the audit log bucket. */
export const FINDINGS_KEY_PREFIX = "guardduty";

/**
 * The protections that matter here, as GuardDuty feature names (and their additional configurations): S3 data events
 * (the customer buckets), EKS audit logs, runtime monitoring of the EKS nodes and the Batch instances (GuardDuty
 * manages its agents: the EKS add-on, and the EC2 agent through Session Manager), RDS login activity, malware scans of EBS volumes on findings, and Lambda network activity.
 * Malware Protection for S3 is the data stack's plan on the uploads bucket.
 */
export const GUARDDUTY_FEATURES: readonly { readonly name: string; readonly additional?: readonly string[] }[] = [
  { name: "S3_DATA_EVENTS" },
  { name: "EKS_AUDIT_LOGS" },
  // Not ECS_FARGATE_AGENT_MANAGEMENT: its sidecar would need Atlantis's task execution role to pull GuardDuty's image,
  // and Atlantis's tasks are covered by their role's narrow rights and the trail.
  { name: "RUNTIME_MONITORING", additional: ["EKS_ADDON_MANAGEMENT", "EC2_AGENT_MANAGEMENT"] },
  { name: "RDS_LOGIN_EVENTS" },
  { name: "EBS_MALWARE_PROTECTION" },
  { name: "LAMBDA_NETWORK_LOGS" },
];

const detectorArns = (region: string, accountId: string) => `arn:aws:guardduty:${region}:${accountId}:detector/*`;

/** The bucket policy statements GuardDuty's findings export needs, for this account's detector only. */
export function findingsBucketStatements(bucketArn: string, region: string, accountId: string): PolicyStatement[] {
  const fromTheDetector = { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": detectorArns(region, accountId) } };
  return [
    { Sid: "GuardDutyLocatesBucket", Effect: "Allow", Principal: { Service: "guardduty.amazonaws.com" }, Action: "s3:GetBucketLocation", Resource: bucketArn, Condition: fromTheDetector },
    { Sid: "GuardDutyExportsFindings", Effect: "Allow", Principal: { Service: "guardduty.amazonaws.com" }, Action: "s3:PutObject", Resource: `${bucketArn}/${FINDINGS_KEY_PREFIX}/*`, Condition: fromTheDetector },
  ];
}

/** The key policy statement GuardDuty's findings export needs. */
export function findingsKeyStatement(region: string, accountId: string): PolicyStatement {
  return {
    Sid: "GuardDutyEncryptsFindings",
    Effect: "Allow",
    Principal: { Service: "guardduty.amazonaws.com" },
    Action: "kms:GenerateDataKey",
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": detectorArns(region, accountId) } },
  };
}

export interface ThreatDetectionProps {
  /** The audit log bucket, its policy (which admits the export) and its key. */
  readonly bucketArn: string;
  readonly bucketPolicy: ITerraformDependable;
  readonly key: EncryptionKey;
}

/**
 * GuardDuty for the account and region: a detector that publishes findings every 15 minutes, the protections of
 * {@link GUARDDUTY_FEATURES}, and the findings exported to the audit log bucket (KMS), where they outlive GuardDuty's
 * 90 days. The security alarms send findings above the configured severity to the alerts topic.
 */
export class ThreatDetection extends Construct {
  /** The detector's id. */
  readonly detectorId: string;

  constructor(scope: Construct, id: string, props: ThreatDetectionProps) {
    super(scope, id);
    const detector = new GuarddutyDetector(this, "detector", { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES" });
    this.detectorId = detector.id;
    for (const feature of GUARDDUTY_FEATURES) {
      new GuarddutyDetectorFeature(this, `feature-${feature.name.toLowerCase()}`, {
        detectorId: detector.id,
        name: feature.name,
        status: "ENABLED",
        additionalConfiguration: feature.additional?.map((name) => ({ name, status: "ENABLED" })),
      });
    }
    // GuardDuty checks that it may write to the bucket with the key when the destination is created.
    new GuarddutyPublishingDestination(this, "findings-export", {
      detectorId: detector.id,
      destinationType: "S3",
      destinationArn: `${props.bucketArn}/${FINDINGS_KEY_PREFIX}`,
      kmsKeyArn: props.key.arn,
      dependsOn: [props.bucketPolicy],
    });
  }
}
