import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { Construct } from "constructs";
import { Metric, dashboardEntry } from "./metric";

/** One graph of the dashboard. */
export interface DashboardGraph {
  /** Title shown above the graph. */
  readonly title: string;
  /** The metrics drawn, each with its statistic and label. */
  readonly metrics: readonly Metric[];
  /** Draw the series stacked (counts that add up). @default false */
  readonly stacked?: boolean;
}

export interface OperationsDashboardProps {
  /** Dashboard name, `<project>-<env>-<what>`. */
  readonly dashboardName: string;
  /** Region of the metrics. */
  readonly region: string;
  /** The graphs, in reading order, two per row. */
  readonly graphs: readonly DashboardGraph[];
}

/** Widgets per row of the 24-column grid, and a widget's height. */
const COLUMNS = 2;
const WIDTH = 24 / COLUMNS;
const HEIGHT = 6;

/** A CloudWatch dashboard of time-series graphs laid out two per row, over the last 12 hours by default. */
export class OperationsDashboard extends Construct {
  /** Dashboard name. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const widgets = props.graphs.map((graph, index) => ({
      type: "metric",
      x: (index % COLUMNS) * WIDTH,
      y: Math.floor(index / COLUMNS) * HEIGHT,
      width: WIDTH,
      height: HEIGHT,
      properties: {
        title: graph.title,
        region: props.region,
        view: "timeSeries",
        stacked: graph.stacked ?? false,
        metrics: graph.metrics.map(dashboardEntry),
      },
    }));
    this.name = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.dashboardName,
      dashboardBody: JSON.stringify({ start: "-PT12H", periodOverride: "inherit", widgets }),
    }).dashboardName;
  }
}
