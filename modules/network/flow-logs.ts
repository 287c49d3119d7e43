import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { Construct } from "constructs";
import { IamRole, serviceTrust } from "../iam/iam-role";
import { EncryptionKey } from "../kms/kms-key";
import { LogGroup } from "../logging/log-group";

export interface VpcFlowLogsProps {
  /** Turns on the deletion protection of its audit log group (where the environment requires deletion protection). */
  readonly logDeletionProtection: boolean;

  /** Resource name prefix, `<project>-<env>`. */
  readonly namePrefix: string;
  /** Account and region of the VPC (scope the delivery role's trust). */
  readonly accountId: string;
  readonly region: string;
  /** The VPC whose traffic is logged. */
  readonly vpcId: string;
  /** Key that encrypts the log group; its policy must admit CloudWatch Logs for `logGroupName`. */
  readonly encryptionKey: EncryptionKey;
  /** Log group name. */
  readonly logGroupName: string;
  /** Days flow log records are kept. */
  readonly retentionDays: number;
}

/**
 * Flow logs of all traffic (accepted and rejected) of a VPC, aggregated per minute, into a KMS-encrypted log
 * group, delivered by a role that can write to that group only.
 */
export class VpcFlowLogs extends Construct {
  /** The log group. */
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, "log-group", {
      name: props.logGroupName,
      retentionDays: props.retentionDays,
      encryptionKey: props.encryptionKey,
      logClass: "audit",
      deletionProtection: props.logDeletionProtection,
    });
    const role = new IamRole(this, "delivery-role", {
      roleName: `${props.namePrefix}-vpc-flow-logs`,
      description: "Delivers VPC flow logs to their CloudWatch log group",
      trust: [
        serviceTrust("vpc-flow-logs.amazonaws.com", props.accountId, `arn:aws:ec2:${props.region}:${props.accountId}:vpc-flow-log/*`),
      ],
      statements: [
        {
          Sid: "WriteFlowLogRecords",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [this.logGroup.arn, `${this.logGroup.arn}:log-stream:*`],
        },
        {
          // The delivery service checks the group exists; DescribeLogGroups supports no resource scoping.
          Sid: "FindLogGroup",
          Effect: "Allow",
          Action: "logs:DescribeLogGroups",
          Resource: "*",
        },
      ],
    });
    const flowLog = new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: `${props.namePrefix}-vpc` },
    });
    // Delivery starts at creation; with the role's policy not there yet, the flow log starts in "Access error".
    role.grantsBefore(flowLog);
  }
}
