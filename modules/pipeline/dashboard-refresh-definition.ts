import { Retrier, StateMachineDefinition } from "./asl";

export interface DashboardRefreshDefinitionProps {
  /** Warehouse whose dashboard views are refreshed, and the statement that refreshes them. */
  readonly warehouseClusterId: string;
  readonly warehouseDatabase: string;
  readonly refreshStatement: string;
  /** Seconds between two looks at the running statement. */
  readonly pollSeconds: number;
  /** Looks at the statement before it is cancelled: the refresh never outlasts `pollSeconds x maxPolls`. */
  readonly maxPolls: number;
}

const retry = (errors: readonly string[], attempts: number): Retrier[] => [
  { ErrorEquals: errors, IntervalSeconds: 5, MaxAttempts: attempts, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: "FULL" },
];
const DATA_API_RETRY = retry(["RedshiftData.ActiveStatementsExceededException", "RedshiftData.InternalServerException", "RedshiftData.ThrottlingException"], 3);
// Any failure of ListExecutions (throttling included, whatever its SDK name) is worth three more tries.
const STEP_FUNCTIONS_RETRY = retry(["States.TaskFailed"], 3);

/**
 * The `dashboard-refresh` state machine, started on a schedule: refreshes the dashboard's materialized views with
 * whatever zero-ETL has replicated so far (replication is asynchronous; the next run takes what this one missed).
 * Independent of analyses: a refresh that fails or is slow never fails an analysis.
 *
 * It runs alone (an execution that finds another one running ends at once) and never polls without bound: after
 * `maxPolls` looks the statement is cancelled and the execution fails, which the refresh alarm reports.
 */
export function dashboardRefreshDefinition(props: DashboardRefreshDefinitionProps): StateMachineDefinition {
  return {
    Comment: "Refreshes the dashboard's materialized views in the warehouse, one run at a time, bounded",
    StartAt: "CountRunning",
    // Room for every poll and the calls around them; the alarm on time-outs catches anything longer.
    TimeoutSeconds: props.pollSeconds * props.maxPolls + 300,
    States: {
      CountRunning: {
        Type: "Task",
        Comment: "This execution is one of the running ones; a second one means a refresh is already under way",
        Resource: "arn:aws:states:::aws-sdk:sfn:listExecutions",
        Parameters: { "StateMachineArn.$": "$$.StateMachine.Id", StatusFilter: "RUNNING", MaxResults: 2 },
        ResultSelector: { "running.$": "States.ArrayLength($.Executions)" },
        // No ResultPath: the result replaces the state (the input is not needed any more).
        Retry: STEP_FUNCTIONS_RETRY,
        Next: "RunAlone",
      },
      RunAlone: {
        Type: "Choice",
        Choices: [{ Variable: "$.running", NumericGreaterThan: 1, Next: "AlreadyRefreshing" }],
        Default: "Refresh",
      },
      AlreadyRefreshing: { Type: "Succeed", Comment: "The running refresh will take what this one would have" },
      Refresh: {
        Type: "Task",
        Resource: "arn:aws:states:::aws-sdk:redshiftdata:executeStatement",
        Parameters: {
          ClusterIdentifier: props.warehouseClusterId,
          Database: props.warehouseDatabase,
          Sql: props.refreshStatement,
          "StatementName.$": "States.Format('dashboard-refresh-{}', $$.Execution.Name)",
        },
        ResultSelector: { "id.$": "$.Id", polls: 0 },
        ResultPath: "$.statement",
        Retry: DATA_API_RETRY,
        Next: "WaitForStatement",
      },
      WaitForStatement: { Type: "Wait", Seconds: props.pollSeconds, Next: "DescribeStatement" },
      DescribeStatement: {
        Type: "Task",
        Comment: "The Data API has no .sync integration: look at the statement, at most maxPolls times",
        Resource: "arn:aws:states:::aws-sdk:redshiftdata:describeStatement",
        Parameters: { "Id.$": "$.statement.id" },
        // The whole description (a few KiB): its Status, and its Error when the statement failed.
        ResultPath: "$.described",
        Retry: DATA_API_RETRY,
        Next: "CheckStatement",
      },
      CheckStatement: {
        Type: "Choice",
        Choices: [
          { Variable: "$.described.Status", StringEquals: "FINISHED", Next: "Refreshed" },
          { Variable: "$.described.Status", StringEquals: "FAILED", Next: "RefreshFailed" },
          { Variable: "$.described.Status", StringEquals: "ABORTED", Next: "RefreshAborted" },
          { Variable: "$.statement.polls", NumericGreaterThanEquals: props.maxPolls - 1, Next: "CancelStatement" },
        ],
        Default: "CountPoll",
      },
      CountPoll: {
        Type: "Pass",
        Parameters: { "id.$": "$.statement.id", "polls.$": "States.MathAdd($.statement.polls, 1)" },
        ResultPath: "$.statement",
        Next: "WaitForStatement",
      },
      Refreshed: { Type: "Succeed" },
      RefreshFailed: { Type: "Fail", Error: "DashboardRefreshFailed", CausePath: "$.described.Error" },
      RefreshAborted: { Type: "Fail", Error: "DashboardRefreshAborted", Cause: "the refresh statement was cancelled outside this execution" },
      CancelStatement: {
        Type: "Task",
        Resource: "arn:aws:states:::aws-sdk:redshiftdata:cancelStatement",
        Parameters: { "Id.$": "$.statement.id" },
        ResultPath: null,
        Retry: DATA_API_RETRY,
        Next: "RefreshTooSlow",
      },
      RefreshTooSlow: {
        Type: "Fail",
        Error: "DashboardRefreshTimedOut",
        Cause: `the refresh statement did not finish after ${props.maxPolls} looks ${props.pollSeconds} seconds apart; it was cancelled`,
      },
    },
  };
}
