import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { Metric } from "./metric";

/** Where a module's alarms notify, and the prefix of their names. */
export interface AlarmDestination {
  /** The alerts topic's ARN. */
  readonly topicArn: string;
  /** `<project>-<env>`: alarm names start with it (the topic admits only those). */
  readonly namePrefix: string;
}

/** How the metric compares with the threshold when the alarm fires. */
export type AlarmComparison =
  | "GreaterThanOrEqualToThreshold"
  | "GreaterThanThreshold"
  | "LessThanThreshold"
  | "LessThanOrEqualToThreshold";

export interface ThresholdAlarmProps {
  /** What is watched, kebab-case; the alarm is named `<project>-<env>-<name>`. */
  readonly name: string;
  /** What firing means and what to look at first; it is the body of the notification. */
  readonly description: string;
  /** The watched metric. */
  readonly metric: Metric;
  /** Comparison with the threshold. */
  readonly comparison: AlarmComparison;
  /** Threshold, in the metric's unit. */
  readonly threshold: number;
  /** Periods evaluated. @default 1 */
  readonly evaluationPeriods?: number;
  /** Breaching periods among them that fire the alarm. @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  /** Missing data (a quiet queue, an idle state machine) counts as fine unless told otherwise. @default notBreaching */
  readonly treatMissingData?: "notBreaching" | "breaching" | "ignore" | "missing";
  /** The alerts topic told when the alarm fires and when it recovers. */
  readonly destination: AlarmDestination;
}

/** A CloudWatch alarm on one metric against a fixed threshold, notifying the alerts topic on alarm and on recovery. */
export class ThresholdAlarm extends Construct {
  /** Alarm ARN. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: ThresholdAlarmProps) {
    super(scope, id);
    const evaluationPeriods = props.evaluationPeriods ?? 1;
    this.arn = new CloudwatchMetricAlarm(this, "alarm", {
      alarmName: `${props.destination.namePrefix}-${props.name}`,
      alarmDescription: props.description,
      namespace: props.metric.namespace,
      metricName: props.metric.metricName,
      dimensions: { ...props.metric.dimensions },
      statistic: props.metric.statistic,
      period: props.metric.periodSeconds ?? 300,
      evaluationPeriods,
      datapointsToAlarm: props.datapointsToAlarm ?? evaluationPeriods,
      comparisonOperator: props.comparison,
      threshold: props.threshold,
      treatMissingData: props.treatMissingData ?? "notBreaching",
      actionsEnabled: true,
      alarmActions: [props.destination.topicArn],
      okActions: [props.destination.topicArn],
    }).arn;
  }
}
