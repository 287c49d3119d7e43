import { Instance } from "@cdktf/provider-aws/lib/instance";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { SsmDocument } from "@cdktf/provider-aws/lib/ssm-document";
import { Construct } from "constructs";
import { IamRole, serviceTrust } from "../iam/iam-role";
import { EncryptionKey } from "../kms/kms-key";
import { LogGroup } from "../logging/log-group";
import { SecurityGroup } from "../network/security-group";
import { providerDefaultTags } from "../tagging/default-tags";
import { IMDSV2_ONLY, launchTagSpecifications } from "../compute/launch-template-defaults";

/** The latest Amazon Linux 2023 for arm64, resolved by EC2 at each launch (the SSM agent is preinstalled). */
export const SESSION_HOST_IMAGE = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

/** Session Manager's preferences document: one per account and region, named by AWS. */
export const SESSION_PREFERENCES_DOCUMENT = "SSM-SessionManagerRunShell";

/** Minutes an idle session stays open, and the longest a session may last. */
export const SESSION_IDLE_MINUTES = 20;
export const SESSION_MAX_MINUTES = 240;

export interface SessionHostProps {
  /** Turns on the deletion protection of its audit log group (where the environment requires deletion protection). */
  readonly logDeletionProtection: boolean;

  /** Resource name prefix, `<project>-<env>`; the host is `<prefix>-session-host`. */
  readonly namePrefix: string;
  readonly vpcId: string;
  /** The private subnet it runs in. */
  readonly subnetId: string;
  /** A Graviton instance type (the image is arm64). */
  readonly instanceType: string;
  /** Key of the session log group. */
  readonly logsKey: EncryptionKey;
  /** Days session logs are kept. */
  readonly logRetentionDays: number;
  /** Security group of the interface endpoints (SSM, and the AWS APIs a session uses) and the S3 prefix list. */
  readonly endpointSecurityGroupId: string;
  readonly s3PrefixListId: string;
}

/**
 * Human access to the environment's private endpoints without bastions, SSH or inbound rules: a small instance in a
 * private subnet that only Session Manager reaches (the SSM agent calls out through the VPC endpoints), used for
 * port forwarding to the EKS API and the RDS proxy (`AWS-StartPortForwardingSessionToRemoteHost`). IMDSv2 with a hop
 * limit of 1, an encrypted root volume, no key pair, a security group with no inbound rule whose outbound rules the
 * stacks open to exactly the endpoints it forwards to (`allowTo`). Shell sessions are logged to an encrypted log
 * group (the account's Session Manager preferences), ended after 20 idle minutes and 4 hours at most.
 */
export class SessionHost extends Construct {
  /** The instance's id, the target of `aws ssm start-session`. */
  readonly instanceId: string;
  /** Its security group: the endpoints it may forward to admit it. */
  readonly securityGroup: SecurityGroup;
  /** Name of the session log group. */
  readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: SessionHostProps) {
    super(scope, id);
    const name = `${props.namePrefix}-session-host`;
    const logs = new LogGroup(this, "session-logs", {
      name: `/${props.namePrefix}/ssm/sessions`,
      retentionDays: props.logRetentionDays,
      encryptionKey: props.logsKey,
      logClass: "audit",
      deletionProtection: props.logDeletionProtection,
    });
    this.logGroupName = logs.name;
    const role = new IamRole(this, "role", {
      roleName: name,
      description: "Session host: Session Manager's agent, and the session logs",
      trust: [serviceTrust("ec2.amazonaws.com")],
      managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
      statements: [
        {
          Sid: "WriteSessionLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: `${logs.arn}:*`,
        },
        // The agent checks that the group exists and is encrypted before it streams (it supports no resource scope).
        { Sid: "FindSessionLogGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
      ],
    });
    const profile = new IamInstanceProfile(this, "profile", { name, role: role.name });

    this.securityGroup = new SecurityGroup(this, "security-group", {
      groupName: name,
      description: "Session host: no inbound; outbound to the AWS endpoints and to what it forwards to",
      vpcId: props.vpcId,
    });
    this.securityGroup.allowTo("endpoints", props.endpointSecurityGroupId, 443, "Session Manager, logs and the AWS APIs through the interface endpoints");
    this.securityGroup.allowToPrefixList("s3", props.s3PrefixListId, 443, "Amazon Linux repositories and agent updates through the S3 gateway endpoint");

    const template = new LaunchTemplate(this, "launch-template", {
      name,
      description: "Session host: IMDSv2, encrypted root volume, no key pair",
      imageId: SESSION_HOST_IMAGE,
      instanceType: props.instanceType,
      iamInstanceProfile: { arn: profile.arn },
      vpcSecurityGroupIds: [this.securityGroup.id],
      metadataOptions: IMDSV2_ONLY,
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 8, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }],
      monitoring: { enabled: true },
      tagSpecifications: launchTagSpecifications(["instance", "volume", "network-interface"], providerDefaultTags(this), name),
    });
    const instance = new Instance(this, "instance", {
      launchTemplate: { id: template.id, version: template.latestVersion.toString() },
      subnetId: props.subnetId,
      tags: { Name: name },
    });
    role.grantsBefore(instance);
    this.instanceId = instance.id;

    new SsmDocument(this, "session-preferences", {
      name: SESSION_PREFERENCES_DOCUMENT,
      documentType: "Session",
      documentFormat: "JSON",
      content: JSON.stringify({
        schemaVersion: "1.0",
        description: "Session Manager preferences: shell sessions logged to an encrypted log group, idle and maximum durations",
        sessionType: "Standard_Stream",
        inputs: {
          cloudWatchLogGroupName: logs.name,
          cloudWatchEncryptionEnabled: true,
          cloudWatchStreamingEnabled: true,
          s3BucketName: "",
          s3EncryptionEnabled: true,
          kmsKeyId: "",
          runAsEnabled: false,
          runAsDefaultUser: "",
          idleSessionTimeout: String(SESSION_IDLE_MINUTES),
          maxSessionDuration: String(SESSION_MAX_MINUTES),
          shellProfile: { windows: "", linux: "" },
        },
      }),
    });
  }
}
