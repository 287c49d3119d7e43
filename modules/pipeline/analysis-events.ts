import { CloudwatchEventBus } from "@cdktf/provider-aws/lib/cloudwatch-event-bus";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Construct } from "constructs";
import { Grantable } from "../iam/iam-role";
import { EncryptionKey } from "../kms/kms-key";
import { EncryptedQueue } from "../messaging/encrypted-queue";
import { AlarmDestination, ThresholdAlarm } from "../observability/threshold-alarm";

/** Source of the events the analysis state machine puts on the bus. */
export const ANALYSIS_EVENT_SOURCE = "proteomics.analysis";
/** Detail types of those events. */
export const ANALYSIS_EVENT_TYPES = ["AnalysisSucceeded", "AnalysisFailed"] as const;

export interface AnalysisEventsProps {
  /** Resource name prefix, `<project>-<env>`. */
  readonly namePrefix: string;
  /** Key of the queues. */
  readonly encryptionKey: EncryptionKey;
  /** Receives of a status message before it moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
}

/**
 * How the API learns an analysis ended: a custom EventBridge bus the state machine puts `AnalysisSucceeded` and
 * `AnalysisFailed` on, and a rule that routes them to the status queue the API consumes (KMS-encrypted, messages
 * that fail `maxReceiveCount` times go to a dead-letter queue kept 14 days).
 */
export class AnalysisEvents extends Construct {
  /** Bus name and ARN. */
  readonly busName: string;
  readonly busArn: string;
  /** The status queue and its dead-letter queue. */
  readonly statusQueue: EncryptedQueue;
  readonly deadLetterQueue: EncryptedQueue;
  private readonly statusRuleName: string;

  constructor(scope: Construct, id: string, props: AnalysisEventsProps) {
    super(scope, id);
    const bus = new CloudwatchEventBus(this, "bus", {
      name: `${props.namePrefix}-analysis`,
      description: "Outcomes of analyses, from the analysis state machine",
    });
    this.busName = bus.name;
    this.busArn = bus.arn;
    const rule = new CloudwatchEventRule(this, "status-rule", {
      name: `${props.namePrefix}-analysis-status`,
      description: "Analysis outcomes to the status queue the API consumes",
      eventBusName: bus.name,
      eventPattern: JSON.stringify({ source: [ANALYSIS_EVENT_SOURCE], "detail-type": [...ANALYSIS_EVENT_TYPES] }),
    });

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
      policyStatements: (queueArn) => [
        {
          Sid: "AnalysisStatusRuleSends",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: queueArn,
          Condition: { ArnEquals: { "aws:SourceArn": rule.arn } },
        },
      ],
    });
    this.statusRuleName = rule.name;
    new CloudwatchEventTarget(this, "status-target", {
      rule: rule.name,
      eventBusName: bus.name,
      targetId: "AnalysisStatusQueue",
      arn: this.statusQueue.arn,
    });
  }

  /** Lets `grantee` put analysis events on the bus. */
  grantPut(grantee: Grantable): void {
    grantee.addToPolicy({ Effect: "Allow", Action: "events:PutEvents", Resource: this.busArn });
  }

  /**
   * Alarms on the status path: outcomes the rule could not deliver to the queue (a queue or key policy that refuses
   * EventBridge loses every outcome), and status messages the API failed to process (in the dead-letter queue).
   */
  addAlarms(destination: AlarmDestination, thresholds: { readonly deadLetterMessages: number }): void {
    new ThresholdAlarm(this, "status-delivery-alarm", {
      destination,
      name: "analysis-status-delivery",
      description: "The analysis status rule could not deliver outcomes to the status queue: the API never learns that analyses ended. Check the queue's policy and the messaging key's policy.",
      metric: {
        namespace: "AWS/Events",
        metricName: "FailedInvocations",
        dimensions: { EventBusName: this.busName, RuleName: this.statusRuleName },
        statistic: "Sum",
      },
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
    });
    new ThresholdAlarm(this, "dead-letter-alarm", {
      destination,
      name: "analysis-status-dead-letters",
      description: `At least ${thresholds.deadLetterMessages} analysis outcome(s) in the status dead-letter queue: the API failed to process them repeatedly. Read them (aws sqs receive-message), fix the API, then redrive them to the status queue.`,
      metric: this.deadLetterQueue.metric("ApproximateNumberOfMessagesVisible", "Maximum"),
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: thresholds.deadLetterMessages,
    });
  }
}
