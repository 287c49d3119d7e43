import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Construct } from "constructs";
import { IamRole, serviceTrust } from "../iam/iam-role";
import { LogGroup } from "../logging/log-group";
import { RuleDeliveryAlarm } from "../observability/rule-delivery-alarm";
import { AlarmDestination } from "../observability/threshold-alarm";
import { dashboardRefreshDefinition } from "./dashboard-refresh-definition";
import { StateMachine } from "./state-machine";

/** Seconds between two looks at the refresh statement. */
export const REFRESH_POLL_SECONDS = 15;

/** Name of the dashboard refresh state machine (and of its schedule): `<prefix>-dashboard-refresh`. */
export function dashboardRefreshName(namePrefix: string): string {
  return `${namePrefix}-dashboard-refresh`;
}

export interface DashboardRefreshProps {
  /** Resource name prefix, `<project>-<env>`; the state machine is `<prefix>-dashboard-refresh`. */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly region: string;
  /** Warehouse, database and the statement that refreshes the dashboard's views. */
  readonly warehouseClusterId: string;
  readonly warehouseDatabase: string;
  readonly refreshStatement: string;
  /** Minutes between two refreshes; a refresh is cancelled before the next one is due. */
  readonly everyMinutes: number;
  /** Encrypted log group of the executions. */
  readonly logGroup: LogGroup;
  /** Log each state's input and output (`pipeline.executionDataInLogs`). */
  readonly includeExecutionData: boolean;
}

/**
 * The dashboard's refresh, decoupled from the analyses: a schedule (an EventBridge rule, `rate(n minutes)`) starts
 * the `dashboard-refresh` state machine, which refreshes the materialized views through the Redshift Data API, runs
 * alone and gives up (cancelling the statement) before the next run is due.
 */
export class DashboardRefresh extends Construct {
  readonly stateMachine: StateMachine;
  private readonly scheduleRuleName: string;

  constructor(scope: Construct, id: string, props: DashboardRefreshProps) {
    super(scope, id);
    const name = dashboardRefreshName(props.namePrefix);
    this.stateMachine = new StateMachine(this, "state-machine", {
      name,
      description: "Dashboard refresh: runs the views' refresh through the Redshift Data API, one run at a time",
      accountId: props.accountId,
      region: props.region,
      logGroup: props.logGroup,
      includeExecutionData: props.includeExecutionData,
      definition: dashboardRefreshDefinition({
        warehouseClusterId: props.warehouseClusterId,
        warehouseDatabase: props.warehouseDatabase,
        refreshStatement: props.refreshStatement,
        pollSeconds: REFRESH_POLL_SECONDS,
        // Cancelled a minute before the next run is due.
        maxPolls: Math.floor(((props.everyMinutes - 1) * 60) / REFRESH_POLL_SECONDS),
      }),
    });
    this.stateMachine.grantListExecutions(this.stateMachine);

    const schedule = new CloudwatchEventRule(this, "schedule", {
      name,
      description: `Starts the dashboard refresh every ${props.everyMinutes} minutes`,
      scheduleExpression: `rate(${props.everyMinutes} minutes)`,
    });
    this.scheduleRuleName = schedule.name;
    const scheduleRole = new IamRole(this, "schedule-role", {
      roleName: `${name}-schedule`,
      description: "EventBridge schedule of the dashboard refresh: starts its executions",
      trust: [serviceTrust("events.amazonaws.com", props.accountId, `arn:aws:events:${props.region}:${props.accountId}:rule/${name}`)],
      statements: [{ Sid: "StartRefresh", Effect: "Allow", Action: "states:StartExecution", Resource: this.stateMachine.arn }],
    });
    new CloudwatchEventTarget(this, "schedule-target", {
      rule: schedule.name,
      targetId: "DashboardRefresh",
      arn: this.stateMachine.arn,
      roleArn: scheduleRole.arn,
    });
  }

  /** Alarms: refreshes that failed or timed out (the dashboard goes stale), and schedules that could not start one. */
  addAlarms(destination: AlarmDestination, threshold: number): void {
    this.stateMachine.addAlarms(destination, "dashboard-refresh", threshold, {
      ExecutionsFailed: "The dashboard is stale. Read the cause (aws stepfunctions list-executions --status-filter FAILED); DashboardRefreshFailed carries Redshift's message.",
      ExecutionsTimedOut: "A refresh outlived its time limit: check the warehouse's load and the refresh procedure.",
    });
    new RuleDeliveryAlarm(this, "schedule-delivery-alarm", {
      destination,
      name: "dashboard-refresh-schedule",
      description: "The dashboard refresh schedule could not start the state machine: the dashboard goes stale. Check the schedule role.",
      ruleName: this.scheduleRuleName,
    });
  }
}
