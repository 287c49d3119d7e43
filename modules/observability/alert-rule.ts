import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Construct } from "constructs";
import { RuleDeliveryAlarm } from "./rule-delivery-alarm";
import { AlarmDestination } from "./threshold-alarm";

export interface AlertRuleProps {
  /** The alerts topic. */
  readonly destination: AlarmDestination;
  /** What is alerted on, kebab-case: the rule is `<project>-<env>-<name>` (the topic admits only those). */
  readonly name: string;
  /** The rule's description. */
  readonly description: string;
  /** The EventBridge event pattern. */
  readonly eventPattern: Record<string, unknown>;
  /** The notification's text: event fields by path, and a JSON string template that uses them as `<field>`. */
  readonly message: { readonly inputPaths: Readonly<Record<string, string>>; readonly inputTemplate: string };
}

/**
 * An EventBridge rule that sends the events it matches to the alerts topic, as a readable message, with an alarm on
 * its own failed deliveries (a refused target would otherwise lose every event silently).
 */
export class AlertRule extends Construct {
  /** The rule's name. */
  readonly ruleName: string;

  constructor(scope: Construct, id: string, props: AlertRuleProps) {
    super(scope, id);
    const rule = new CloudwatchEventRule(this, "rule", {
      name: `${props.destination.namePrefix}-${props.name}`,
      description: props.description,
      eventPattern: JSON.stringify(props.eventPattern),
    });
    this.ruleName = rule.name;
    new CloudwatchEventTarget(this, "target", {
      rule: rule.name,
      targetId: "AlertsTopic",
      arn: props.destination.topicArn,
      inputTransformer: { inputPaths: { ...props.message.inputPaths }, inputTemplate: props.message.inputTemplate },
    });
    new RuleDeliveryAlarm(this, "delivery-alarm", {
      destination: props.destination,
      name: `${props.name}-delivery`,
      description: `The ${props.name} rule could not deliver to the alerts topic: its events go unreported. Check the topic's policy and key policy.`,
      ruleName: rule.name,
    });
  }
}
