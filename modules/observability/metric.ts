/**
 * A CloudWatch metric as the modules expose it: what their alarms watch and what the dashboard draws. A module
 * that owns a resource knows its namespace, metric names and dimensions; nothing else needs to.
 */
export interface Metric {
  /** CloudWatch namespace, e.g. `AWS/RDS`. */
  readonly namespace: string;
  /** Metric name, e.g. `CPUUtilization`. */
  readonly metricName: string;
  /** Dimensions that select the resource, e.g. `{ DBInstanceIdentifier: "…" }`. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** Statistic over each period. */
  readonly statistic: "Average" | "Sum" | "Minimum" | "Maximum" | "SampleCount";
  /** Period, in seconds (60 or a multiple of it). @default 300 */
  readonly periodSeconds?: number;
  /** Short label for dashboards. @default the metric name */
  readonly label?: string;
}

/** The metric as a dashboard widget's `metrics` entry: namespace, name, dimension pairs, then rendering options. */
export function dashboardEntry(metric: Metric): unknown[] {
  return [
    metric.namespace,
    metric.metricName,
    ...Object.entries(metric.dimensions).flat(),
    { stat: metric.statistic, period: metric.periodSeconds ?? 300, label: metric.label ?? metric.metricName },
  ];
}
