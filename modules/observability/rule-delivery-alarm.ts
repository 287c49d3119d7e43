import { Construct } from "constructs";
import { AlarmDestination, ThresholdAlarm } from "./threshold-alarm";

export interface RuleDeliveryAlarmProps {
  /** The alerts topic. */
  readonly destination: AlarmDestination;
  /** What is watched, kebab-case; the alarm is `<project>-<env>-<name>`. */
  readonly name: string;
  /** What a failed delivery means and what to check: the body of the notification. */
  readonly description: string;
  /** The EventBridge rule whose targets are watched. */
  readonly ruleName: string;
}

/**
 * An alarm on an EventBridge rule that could not deliver to its target (`AWS/Events` `FailedInvocations`, at least
 * one in 5 minutes): a target policy, a key policy or a role that refuses EventBridge loses every event silently.
 */
export class RuleDeliveryAlarm extends ThresholdAlarm {
  constructor(scope: Construct, id: string, props: RuleDeliveryAlarmProps) {
    super(scope, id, {
      destination: props.destination,
      name: props.name,
      description: props.description,
      metric: { namespace: "AWS/Events", metricName: "FailedInvocations", dimensions: { RuleName: props.ruleName }, statistic: "Sum" },
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
    });
  }
}
