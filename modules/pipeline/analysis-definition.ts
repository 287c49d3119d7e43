import { ANALYSIS_EVENT_SOURCE } from "./analysis-events";
import { Catcher, ChoiceRule, Retrier, StateMachineDefinition, States, TaskState } from "./asl";

/** Most samples one analysis may hold (keeps an execution far from the 25,000-event history limit). */
export const MAX_SAMPLES = 1000;
/** Most protein files one sample may hold (the size limit of a Batch array job). */
export const MAX_FILES_PER_SAMPLE = 10000;

export interface AnalysisDefinitionProps {
  /** Queues: `bulk` for the per-protein identification, `interactive` for the short steps. */
  readonly bulkQueueArn: string;
  readonly interactiveQueueArn: string;
  /** Job definitions (ARNs with revision). */
  readonly identifyJobArn: string;
  readonly aggregateJobArn: string;
  readonly publishMetricsJobArn: string;
  /** Warehouse whose dashboard views are refreshed, and the statement that refreshes them. */
  readonly warehouseClusterId: string;
  readonly warehouseDatabase: string;
  readonly refreshStatement: string;
  /** Bus that receives `AnalysisSucceeded` / `AnalysisFailed`. */
  readonly eventBusName: string;
  /** Samples processed at once. */
  readonly maxConcurrentSamples: number;
  /** Longest an execution may run, seconds. */
  readonly timeoutSeconds: number;
}

const BATCH_SUBMIT_SYNC = "arn:aws:states:::batch:submitJob.sync";
const PUT_EVENTS = "arn:aws:states:::events:putEvents";

/** Transient errors of each integration, retried with exponential backoff and jitter. */
const retry = (errors: readonly string[]): Retrier[] => [
  { ErrorEquals: errors, IntervalSeconds: 5, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 120, JitterStrategy: "FULL" },
];
const BATCH_RETRY = retry(["Batch.AWSBatchException", "Batch.ServerException", "Batch.TooManyRequestsException"]);
const REDSHIFT_DATA_RETRY = retry([
  "RedshiftData.ActiveStatementsExceededException",
  "RedshiftData.InternalServerException",
  "RedshiftData.ThrottlingException",
]);
const EVENTS_RETRY = retry(["States.TaskFailed"]);

/** Every task's catcher: keep the input, add the error under `$.error`, go to `next`. */
const catchAll = (next: string): Catcher[] => [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: next }];

const missing = (path: string): ChoiceRule => ({ Not: { Variable: path, IsPresent: true } });
const notString = (path: string): ChoiceRule => ({ Not: { Variable: path, IsString: true } });

/** Environment of a job run: which analysis, tenant and sample it works on. */
function runEnvironment(extra: Readonly<Record<string, string>> = {}): Array<Record<string, string>> {
  return [
    { Name: "ANALYSIS_ID", "Value.$": "$.analysisId" },
    { Name: "TENANT_ID", "Value.$": "$.tenantId" },
    ...Object.entries(extra).map(([name, path]) => ({ Name: name, "Value.$": path })),
  ];
}

/** A Batch job submitted and awaited (`.sync`), fair-shared by tenant, tagged for cost allocation. */
function batchJob(props: {
  readonly step: string;
  readonly queueArn: string;
  readonly jobArn: string;
  readonly environment: Array<Record<string, string>>;
  readonly arrayProperties?: Readonly<Record<string, unknown>>;
  readonly next: string | undefined;
  readonly onError: string;
  readonly comment: string;
}): TaskState {
  return {
    Type: "Task",
    Comment: props.comment,
    Resource: BATCH_SUBMIT_SYNC,
    Parameters: {
      "JobName.$": `States.Format('${props.step}-{}', $.analysisId)`,
      JobQueue: props.queueArn,
      JobDefinition: props.jobArn,
      "ShareIdentifier.$": "$.tenantId",
      ...(props.arrayProperties ? { ArrayProperties: props.arrayProperties } : {}),
      ContainerOverrides: { Environment: props.environment },
      Tags: { "AnalysisId.$": "$.analysisId", "TenantId.$": "$.tenantId" },
      PropagateTags: true,
    },
    ResultPath: null,
    Retry: BATCH_RETRY,
    Catch: catchAll(props.onError),
    ...(props.next ? { Next: props.next } : { End: true as const }),
  };
}

/** Puts one analysis event on the bus. */
function putEvent(detailType: string, detail: Readonly<Record<string, unknown>>, bus: string, next: string, onError: Catcher): TaskState {
  return {
    Type: "Task",
    Resource: PUT_EVENTS,
    Parameters: { Entries: [{ EventBusName: bus, Source: ANALYSIS_EVENT_SOURCE, DetailType: detailType, Detail: detail }] },
    ResultPath: null,
    Retry: EVENTS_RETRY,
    Catch: [onError],
    Next: next,
  };
}

/** The steps of one sample, run by the Map for each sample. */
function sampleStates(props: AnalysisDefinitionProps): States {
  const sampleEnvironment = (extra: Readonly<Record<string, string>> = {}) => runEnvironment({ SAMPLE_ID: "$.sample.sampleId", ...extra });
  const identify = (arrayProperties?: Readonly<Record<string, unknown>>) =>
    batchJob({
      step: "identify",
      queueArn: props.bulkQueueArn,
      jobArn: props.identifyJobArn,
      // Child i of the array job reads INPUT_KEYS[AWS_BATCH_JOB_ARRAY_INDEX].
      environment: sampleEnvironment({ INPUT_KEYS: "States.JsonToString($.sample.files)" }),
      arrayProperties,
      next: "AggregateSample",
      onError: "SampleFailed",
      comment: "Peptide and protein identification: one Batch job per protein file of the sample",
    });
  return {
    CheckSample: {
      Type: "Choice",
      Comment: "Every sample needs an id and at least one file",
      Choices: [{ Or: [missing("$.sample.sampleId"), notString("$.sample.sampleId"), missing("$.sample.files[0]")], Next: "InvalidSample" }],
      Default: "CountFiles",
    },
    InvalidSample: { Type: "Fail", Error: "InvalidInput", Cause: "each sample needs a sampleId and a non-empty files list" },
    CountFiles: {
      Type: "Pass",
      Parameters: { "files.$": "States.ArrayLength($.sample.files)" },
      ResultPath: "$.count",
      Next: "ChooseIdentification",
    },
    ChooseIdentification: {
      Type: "Choice",
      Comment: "An array job needs at least two children; a sample of one file runs a single job",
      Choices: [
        { Variable: "$.count.files", NumericGreaterThan: MAX_FILES_PER_SAMPLE, Next: "TooManyFiles" },
        { Variable: "$.count.files", NumericEquals: 1, Next: "IdentifyOneProtein" },
      ],
      Default: "IdentifyProteins",
    },
    TooManyFiles: { Type: "Fail", Error: "InvalidInput", Cause: `a sample may hold at most ${MAX_FILES_PER_SAMPLE} files` },
    // Reads `INPUT_KEYS` index 0 when AWS_BATCH_JOB_ARRAY_INDEX is absent.
    IdentifyOneProtein: identify(),
    IdentifyProteins: identify({ "Size.$": "$.count.files" }),
    AggregateSample: batchJob({
      step: "aggregate",
      queueArn: props.interactiveQueueArn,
      jobArn: props.aggregateJobArn,
      environment: sampleEnvironment(),
      next: undefined,
      onError: "SampleFailed",
      comment: "Quantification and sample-level metrics from the identifications",
    }),
    SampleFailed: { Type: "Fail", ErrorPath: "$.error.Error", CausePath: "$.error.Cause" },
  };
}

/**
 * The `analysis` state machine. Input contract:
 * `{ analysisId: string, tenantId: string (letters and digits: the Batch fair-share identifier),
 *    samples: [{ sampleId: string, files: [S3 key of one protein file, ...] }, ...] }`.
 *
 * Validate the input -> for each sample (at most `maxConcurrentSamples` at once): a Batch array job over its
 * protein files (`bulk` queue), then its aggregation (`interactive`) -> publish the metrics to RDS (`interactive`) ->
 * refresh the dashboard views through the Redshift Data API and wait for the statement -> put `AnalysisSucceeded`.
 * Any failure after the ids are known puts `AnalysisFailed` with the error and its cause, then fails the execution.
 */
export function analysisDefinition(props: AnalysisDefinitionProps): StateMachineDefinition {
  const bus = props.eventBusName;
  return {
    Comment: "Mass-spectrometry analysis of a set of samples, one protein file per Batch job",
    StartAt: "ValidateInput",
    TimeoutSeconds: props.timeoutSeconds,
    States: {
      ValidateInput: {
        Type: "Choice",
        Comment: "Input contract: analysisId, tenantId, samples[{ sampleId, files[] }]",
        Choices: [
          { Or: [missing("$.analysisId"), missing("$.tenantId"), notString("$.analysisId"), notString("$.tenantId")], Next: "RejectInput" },
          { Or: [missing("$.samples[0]"), { Variable: `$.samples[${MAX_SAMPLES}]`, IsPresent: true }], Next: "InvalidSamples" },
        ],
        Default: "ProcessSamples",
      },
      RejectInput: { Type: "Fail", Error: "InvalidInput", Cause: "analysisId and tenantId are required strings" },
      InvalidSamples: {
        Type: "Pass",
        Result: { Error: "InvalidInput", Cause: `an analysis needs between 1 and ${MAX_SAMPLES} samples` },
        ResultPath: "$.error",
        Next: "RecordFailure",
      },
      ProcessSamples: {
        Type: "Map",
        Comment: "Each sample: identification of every protein file, then aggregation",
        ItemsPath: "$.samples",
        ItemSelector: { "analysisId.$": "$.analysisId", "tenantId.$": "$.tenantId", "sample.$": "$$.Map.Item.Value" },
        MaxConcurrency: props.maxConcurrentSamples,
        ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "CheckSample", States: sampleStates(props) },
        ResultPath: null,
        Catch: catchAll("RecordFailure"),
        Next: "PublishMetrics",
      },
      PublishMetrics: batchJob({
        step: "publish-metrics",
        queueArn: props.interactiveQueueArn,
        jobArn: props.publishMetricsJobArn,
        environment: runEnvironment(),
        next: "RefreshDashboard",
        onError: "RecordFailure",
        comment: "Writes the analysis metrics to RDS through the proxy (IAM authentication)",
      }),
      RefreshDashboard: {
        Type: "Task",
        Comment: "Zero-ETL has replicated the metrics; refresh the dashboard's materialized views",
        Resource: "arn:aws:states:::aws-sdk:redshiftdata:executeStatement",
        Parameters: {
          ClusterIdentifier: props.warehouseClusterId,
          Database: props.warehouseDatabase,
          Sql: props.refreshStatement,
          "StatementName.$": "States.Format('refresh-{}', $.analysisId)",
        },
        ResultSelector: { "id.$": "$.Id" },
        ResultPath: "$.refresh",
        Retry: REDSHIFT_DATA_RETRY,
        Catch: catchAll("RecordFailure"),
        Next: "WaitForRefresh",
      },
      WaitForRefresh: { Type: "Wait", Seconds: 5, Next: "DescribeRefresh" },
      DescribeRefresh: {
        Type: "Task",
        Comment: "The Data API has no .sync integration: poll the statement",
        Resource: "arn:aws:states:::aws-sdk:redshiftdata:describeStatement",
        Parameters: { "Id.$": "$.refresh.id" },
        ResultSelector: { "id.$": "$.Id", "status.$": "$.Status" },
        ResultPath: "$.refresh",
        Retry: REDSHIFT_DATA_RETRY,
        Catch: catchAll("RecordFailure"),
        Next: "CheckRefresh",
      },
      CheckRefresh: {
        Type: "Choice",
        Choices: [
          { Variable: "$.refresh.status", StringEquals: "FINISHED", Next: "PublishSucceeded" },
          { Or: [{ Variable: "$.refresh.status", StringEquals: "FAILED" }, { Variable: "$.refresh.status", StringEquals: "ABORTED" }], Next: "RefreshFailed" },
        ],
        Default: "WaitForRefresh",
      },
      RefreshFailed: {
        Type: "Pass",
        Result: { Error: "DashboardRefreshFailed", Cause: "the Redshift statement that refreshes the dashboard views did not finish" },
        ResultPath: "$.error",
        Next: "RecordFailure",
      },
      PublishSucceeded: putEvent(
        "AnalysisSucceeded",
        { "analysisId.$": "$.analysisId", "tenantId.$": "$.tenantId", "executionArn.$": "$$.Execution.Id" },
        bus,
        "Succeeded",
        catchAll("RecordFailure")[0],
      ),
      Succeeded: { Type: "Succeed" },
      RecordFailure: {
        Type: "Pass",
        Comment: "What failed and why, for the event and the execution's result",
        Parameters: { "analysisId.$": "$.analysisId", "tenantId.$": "$.tenantId", "error.$": "$.error.Error", "cause.$": "$.error.Cause" },
        Next: "PublishFailed",
      },
      PublishFailed: putEvent(
        "AnalysisFailed",
        { "analysisId.$": "$.analysisId", "tenantId.$": "$.tenantId", "error.$": "$.error", "cause.$": "$.cause", "executionArn.$": "$$.Execution.Id" },
        bus,
        "Failed",
        // The failure could not be announced; still fail with the original error (kept in $.error and $.cause).
        { ErrorEquals: ["States.ALL"], ResultPath: "$.publishError", Next: "Failed" },
      ),
      Failed: { Type: "Fail", ErrorPath: "$.error", CausePath: "$.cause" },
    },
  };
}
