import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { EncryptionKey } from "../kms/kms-key";
import { LOG_RETENTION_DAYS } from "./log-retention";

export interface LogGroupProps {
  /** Log group name. */
  readonly name: string;
  /** Days events are kept; one of {@link LOG_RETENTION_DAYS}. */
  readonly retentionDays: number;
  /** Customer-managed key whose policy lets CloudWatch Logs use it for this group. */
  readonly encryptionKey: EncryptionKey;
  /** Refuses deletion of the group (CloudWatch deletion protection). @default false */
  readonly deletionProtection?: boolean;
  /**
   * `audit` for a security or audit log (who did what: the trail, control-plane and database logs, flow logs, audit
   * logs): tagged `LogClass=audit`, and the `audit-log-deletion-protection` guardrail requires its deletion protection
   * where the environment requires it. @default none
   */
  readonly logClass?: "audit";
}

/** The tag that classes a log group. */
export const LOG_CLASS_TAG = "LogClass";

/** A CloudWatch log group encrypted with a customer-managed key and with a finite retention. */
export class LogGroup extends Construct {
  /** Log group name. */
  readonly name: string;
  /** Log group ARN (without the trailing `:*`). */
  readonly arn: string;
  /** The log group resource, for resources that must wait for it (services that would create it themselves). */
  readonly resource: ITerraformDependable;

  constructor(scope: Construct, id: string, props: LogGroupProps) {
    super(scope, id);
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(props.retentionDays)) {
      throw new Error(`Log group ${props.name}: retention ${props.retentionDays} days is not one CloudWatch accepts (${LOG_RETENTION_DAYS.join(", ")})`);
    }
    const group = new CloudwatchLogGroup(this, "group", {
      name: props.name,
      retentionInDays: props.retentionDays,
      kmsKeyId: props.encryptionKey.arn,
      deletionProtectionEnabled: props.deletionProtection ?? false,
      tags: props.logClass ? { [LOG_CLASS_TAG]: props.logClass } : undefined,
    });
    this.resource = group;
    this.name = group.name;
    this.arn = group.arn;
  }
}
