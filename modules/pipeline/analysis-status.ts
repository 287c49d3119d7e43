import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Construct } from "constructs";
import { EncryptionKey } from "../kms/kms-key";
import { EncryptedQueue, eventBridgeRulesSend } from "../messaging/encrypted-queue";
import { RuleDeliveryAlarm } from "../observability/rule-delivery-alarm";
import { AlarmDestination, ThresholdAlarm } from "../observability/threshold-alarm";

/** Source and detail type of the events Step Functions puts on the default bus when an execution changes status. */
export const EXECUTION_STATUS_SOURCE = "aws.states";
export const EXECUTION_STATUS_DETAIL_TYPE = "Step Functions Execution Status Change";
/** Every status an execution ends in: each one reaches the API. */
export const EXECUTION_END_STATUSES = ["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"] as const;

export interface AnalysisStatusProps {
  /** Resource name prefix, `<project>-<env>`. */
  readonly namePrefix: string;
  /** The analysis state machine whose ends are reported (its child executions are not). */
  readonly stateMachineArn: string;
  /** Key of the queues. */
  readonly encryptionKey: EncryptionKey;
  /** Receives of a status message before it moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
}

/**
 * How the API learns that an analysis ended, however it ended: a rule on the default bus takes Step Functions' own
 * "Execution Status Change" events of the analysis state machine (SUCCEEDED, FAILED, TIMED_OUT, ABORTED) to the
 * status queue the API consumes (KMS-encrypted; messages that fail `maxReceiveCount` times go to a dead-letter queue
 * kept 14 days). Step Functions emits them after the execution ended, so a time-out, an abort or a failure no task
 * could catch is reported like any other end. The message is the event as EventBridge delivers it
 * (docs/contracts/analysis-status.schema.json).
 */
export class AnalysisStatus extends Construct {
  /** The status queue and its dead-letter queue. */
  readonly statusQueue: EncryptedQueue;
  readonly deadLetterQueue: EncryptedQueue;
  /** The rule's event pattern (the tests match events against it). */
  readonly eventPattern: Readonly<Record<string, unknown>>;
  private readonly ruleName: string;

  constructor(scope: Construct, id: string, props: AnalysisStatusProps) {
    super(scope, id);
    this.eventPattern = {
      source: [EXECUTION_STATUS_SOURCE],
      "detail-type": [EXECUTION_STATUS_DETAIL_TYPE],
      detail: { stateMachineArn: [props.stateMachineArn], status: [...EXECUTION_END_STATUSES] },
    };
    const rule = new CloudwatchEventRule(this, "ended-rule", {
      name: `${props.namePrefix}-analysis-ended`,
      description: "Every end of an analysis execution (succeeded, failed, timed out, aborted), to the status queue the API consumes",
      eventPattern: JSON.stringify(this.eventPattern),
    });
    this.ruleName = rule.name;

    this.deadLetterQueue = new EncryptedQueue(this, "dead-letter", {
      queueName: `${props.namePrefix}-analysis-status-dlq`,
      encryptionKey: props.encryptionKey,
      retentionSeconds: 14 * 24 * 3600,
    });
    this.statusQueue = new EncryptedQueue(this, "status", {
      queueName: `${props.namePrefix}-analysis-status`,
      encryptionKey: props.encryptionKey,
      retentionSeconds: 4 * 24 * 3600,
      visibilityTimeoutSeconds: 60,
      deadLetter: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
      policyStatements: (queueArn) => [eventBridgeRulesSend("AnalysisEndedRuleSends", queueArn, rule.arn)],
    });
    new CloudwatchEventTarget(this, "status-target", {
      rule: rule.name,
      targetId: "AnalysisStatusQueue",
      arn: this.statusQueue.arn,
    });
  }

  /**
   * Alarms on the status path: ends the rule could not deliver to the queue (a queue or key policy that refuses
   * EventBridge loses every outcome), and status messages the API failed to process (in the dead-letter queue).
   */
  addAlarms(destination: AlarmDestination, thresholds: { readonly deadLetterMessages: number }): void {
    new RuleDeliveryAlarm(this, "status-delivery-alarm", {
      destination,
      name: "analysis-status-delivery",
      description: "The analysis-ended rule could not deliver ends of analyses to the status queue: the API never learns that analyses ended. Check the queue's policy and the messaging key's policy.",
      ruleName: this.ruleName,
    });
    new ThresholdAlarm(this, "dead-letter-alarm", {
      destination,
      name: "analysis-status-dead-letters",
      description: `At least ${thresholds.deadLetterMessages} analysis status message(s) in the status dead-letter queue: the API failed to process them repeatedly. Read them (aws sqs receive-message), fix the API, then redrive them to the status queue.`,
      metric: this.deadLetterQueue.metric("ApproximateNumberOfMessagesVisible", "Maximum"),
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: thresholds.deadLetterMessages,
    });
  }
}
