import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Construct } from "constructs";
import { PolicyStatement } from "../iam/policy-document";
import { EncryptionKey } from "../kms/kms-key";
import { EncryptedQueue, eventBridgeRulesSend } from "../messaging/encrypted-queue";

/**
 * The events Karpenter acts on before capacity disappears, by rule name suffix (short enough that
 * `<prefix>-karpenter-<suffix>` fits EventBridge's 64 characters with the longest environment prefix).
 */
export const INTERRUPTION_EVENTS: Readonly<Record<string, { readonly source: string; readonly detailType: string }>> = {
  health: { source: "aws.health", detailType: "AWS Health Event" },
  "spot-interruption": { source: "aws.ec2", detailType: "EC2 Spot Instance Interruption Warning" },
  rebalance: { source: "aws.ec2", detailType: "EC2 Instance Rebalance Recommendation" },
  "state-change": { source: "aws.ec2", detailType: "EC2 Instance State-change Notification" },
  "capacity-reservation": { source: "aws.ec2", detailType: "EC2 Capacity Reservation Instance Interruption Warning" },
};

export interface InterruptionQueueProps {
  /** Queue name (the cluster's name, as Karpenter's settings expect). */
  readonly queueName: string;
  /** Resource name prefix, `<project>-<env>`: the rules are `<prefix>-karpenter-<event>`. */
  readonly namePrefix: string;
  /** Account (the queue policy's condition). */
  readonly accountId: string;
  /** Key that encrypts the messages; its policy must admit EventBridge. */
  readonly encryptionKey: EncryptionKey;
}

/**
 * Karpenter's interruption queue: an encrypted SQS queue that keeps messages five minutes (they are stale after
 * that), a policy that admits EventBridge rules of this account and SQS only, over TLS, and one EventBridge rule per
 * event type Karpenter handles (health events, Spot interruption warnings, rebalance recommendations, instance
 * state changes, capacity reservation interruptions), each targeting the queue.
 */
export class InterruptionQueue extends Construct {
  /** Queue name. */
  readonly name: string;
  /** Queue ARN. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: InterruptionQueueProps) {
    super(scope, id);
    const rules = Object.entries(INTERRUPTION_EVENTS).map(
      ([suffix, event]) =>
        [
          suffix,
          new CloudwatchEventRule(this, `rule-${suffix}`, {
            name: `${props.namePrefix}-karpenter-${suffix}`,
            description: `Karpenter interruption handling: ${event.detailType}`,
            eventPattern: JSON.stringify({ source: [event.source], "detail-type": [event.detailType] }),
          }),
        ] as const,
    );
    const queue = new EncryptedQueue(this, "queue", {
      queueName: props.queueName,
      encryptionKey: props.encryptionKey,
      retentionSeconds: 300,
      policyStatements: (queueArn): PolicyStatement[] => [
        eventBridgeRulesSend("EventBridgeRulesSendInterruptionEvents", queueArn, rules.map(([, rule]) => rule.arn)),
        {
          Sid: "SqsSendsWithinAccount",
          Effect: "Allow",
          Principal: { Service: "sqs.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: queueArn,
          Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
        },
      ],
    });
    this.name = queue.name;
    this.arn = queue.arn;
    for (const [suffix, rule] of rules) {
      new CloudwatchEventTarget(this, `target-${suffix}`, { rule: rule.name, targetId: "KarpenterInterruptionQueueTarget", arn: queue.arn });
    }
  }
}
