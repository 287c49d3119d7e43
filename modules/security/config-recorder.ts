import { ConfigConfigRule } from "@cdktf/provider-aws/lib/config-config-rule";
import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigConfigurationRecorderStatus } from "@cdktf/provider-aws/lib/config-configuration-recorder-status";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { IamRole, serviceTrust } from "../iam/iam-role";
import { PolicyStatement } from "../iam/policy-document";
import { EncryptionKey } from "../kms/kms-key";

/** Where AWS Config writes its history and snapshots in the audit log bucket. */
export const CONFIG_KEY_PREFIX = "config";

/** The AWS managed policy of a configuration recorder's role. */
export const CONFIG_ROLE_POLICY = "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole";

/**
 * What the guardrails cannot see at runtime, as AWS Config managed rules: a load balancer without a web ACL (an
 * Ingress the controller turned into one), a bucket readable by the public, an EKS API open to the internet.
 */
export const CONFIG_RULES: readonly { readonly name: string; readonly identifier: string; readonly what: string }[] = [
  { name: "alb-waf-enabled", identifier: "ALB_WAF_ENABLED", what: "every Application Load Balancer has a WAF web ACL" },
  { name: "s3-bucket-public-read-prohibited", identifier: "S3_BUCKET_PUBLIC_READ_PROHIBITED", what: "no bucket allows public reads" },
  { name: "eks-endpoint-no-public-access", identifier: "EKS_ENDPOINT_NO_PUBLIC_ACCESS", what: "no EKS API endpoint is public" },
];

/** The bucket policy statements AWS Config's delivery needs, for this account only. */
export function configBucketStatements(bucketArn: string, accountId: string): PolicyStatement[] {
  const fromThisAccount = { StringEquals: { "aws:SourceAccount": accountId } };
  return [
    { Sid: "ConfigChecksBucket", Effect: "Allow", Principal: { Service: "config.amazonaws.com" }, Action: ["s3:GetBucketAcl", "s3:ListBucket"], Resource: bucketArn, Condition: fromThisAccount },
    {
      Sid: "ConfigWritesHistory",
      Effect: "Allow",
      Principal: { Service: "config.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${bucketArn}/${CONFIG_KEY_PREFIX}/AWSLogs/${accountId}/Config/*`,
      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": accountId } },
    },
  ];
}

/** The key policy statement AWS Config's delivery needs to encrypt what it writes. */
export function configKeyStatement(accountId: string): PolicyStatement {
  return {
    Sid: "ConfigEncryptsHistory",
    Effect: "Allow",
    Principal: { Service: "config.amazonaws.com" },
    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
  };
}

export interface ConfigRecorderProps {
  /** Resource name prefix, `<project>-<env>`. */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly region: string;
  /** The audit log bucket, its policy (which admits Config) and its key. */
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly bucketPolicy: ITerraformDependable;
  readonly key: EncryptionKey;
}

/**
 * AWS Config: a recorder of every supported resource type (global ones included) with its own role, a delivery channel
 * to the audit log bucket (KMS, daily snapshots), the recorder turned on once the channel exists, and the managed
 * rules of {@link CONFIG_RULES} once it records. Security Hub's controls evaluate through this recorder.
 */
export class ConfigRecorder extends Construct {
  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const name = `${props.namePrefix}-config`;
    const role = new IamRole(this, "role", {
      roleName: `${name}-recorder`,
      description: "AWS Config: read resource configurations, deliver them to the audit log bucket",
      trust: [serviceTrust("config.amazonaws.com", props.accountId)],
      managedPolicyArns: [CONFIG_ROLE_POLICY],
      statements: [
        { Effect: "Allow", Action: "s3:GetBucketAcl", Resource: props.bucketArn },
        { Effect: "Allow", Action: "s3:PutObject", Resource: `${props.bucketArn}/${CONFIG_KEY_PREFIX}/AWSLogs/${props.accountId}/Config/*` },
        { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: props.key.arn },
      ],
    });
    const recorder = new ConfigConfigurationRecorder(this, "recorder", {
      name,
      roleArn: role.arn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
    });
    role.grantsBefore(recorder);
    const channel = new ConfigDeliveryChannel(this, "delivery", {
      name,
      s3BucketName: props.bucketName,
      s3KeyPrefix: CONFIG_KEY_PREFIX,
      s3KmsKeyArn: props.key.arn,
      snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
      // Config checks that it may write to the bucket when the channel is created.
      dependsOn: [recorder, props.bucketPolicy],
    });
    const status = new ConfigConfigurationRecorderStatus(this, "status", { name: recorder.name, isEnabled: true, dependsOn: [channel] });
    for (const rule of CONFIG_RULES) {
      new ConfigConfigRule(this, `rule-${rule.name}`, {
        name: `${props.namePrefix}-${rule.name}`,
        description: `Checks that ${rule.what}`,
        source: { owner: "AWS", sourceIdentifier: rule.identifier },
        dependsOn: [status],
      });
    }
  }
}
