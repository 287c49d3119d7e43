import { MAX_FILES_PER_SAMPLE, MAX_SAMPLES, SAMPLE_MANIFEST_KEY_INTRINSIC } from "./analysis-contract";
import { ChoiceRule, Retrier, StateMachineDefinition, States, TaskState } from "./asl";

export interface AnalysisDefinitionProps {
  /** Function that checks the input and the manifest (`validate-analysis-input`), ARN. */
  readonly validateInputFunctionArn: string;
  /** Queues: `bulk` for the per-protein identification, `interactive` for the short steps. */
  readonly bulkQueueArn: string;
  readonly interactiveQueueArn: string;
  /** Job definitions (ARNs with revision). */
  readonly identifyJobArn: string;
  readonly aggregateJobArn: string;
  readonly publishMetricsJobArn: string;
  /** Samples processed at once (child executions of the Distributed Map). */
  readonly maxConcurrentSamples: number;
  /** Longest an execution may run, seconds. */
  readonly timeoutSeconds: number;
}

/** Label of the Distributed Map's runs: child executions are `<state machine>/samples:<id>`. */
export const SAMPLES_MAP_RUN_LABEL = "samples";

const BATCH_SUBMIT_SYNC = "arn:aws:states:::batch:submitJob.sync";
const LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";

/** Transient errors of each integration, retried with exponential backoff and jitter. */
const retry = (errors: readonly string[]): Retrier[] => [
  { ErrorEquals: errors, IntervalSeconds: 5, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 120, JitterStrategy: "FULL" },
];
const BATCH_RETRY = retry(["Batch.AWSBatchException", "Batch.ServerException", "Batch.TooManyRequestsException"]);
const LAMBDA_RETRY = retry(["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"]);

const missing = (path: string): ChoiceRule => ({ Not: { Variable: path, IsPresent: true } });
const notString = (path: string): ChoiceRule => ({ Not: { Variable: path, IsString: true } });
const notNumber = (path: string): ChoiceRule => ({ Not: { Variable: path, IsNumeric: true } });

/** Environment of a job run: which analysis and tenant (and sample) it works on. Bounded: no value grows with files. */
function runEnvironment(extra: Readonly<Record<string, string>> = {}): Array<Record<string, string>> {
  return [
    { Name: "ANALYSIS_ID", "Value.$": "$.analysisId" },
    { Name: "TENANT_ID", "Value.$": "$.tenantId" },
    ...Object.entries(extra).map(([name, path]) => ({ Name: name, "Value.$": path })),
  ];
}

/** A Batch job submitted and awaited (`.sync`), fair-shared by tenant, tagged for cost allocation. */
function batchJob(props: {
  readonly jobName: string;
  readonly queueArn: string;
  readonly jobArn: string;
  readonly environment: Array<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly arrayProperties?: Readonly<Record<string, unknown>>;
  readonly next: string | undefined;
  readonly comment: string;
}): TaskState {
  return {
    Type: "Task",
    Comment: props.comment,
    Resource: BATCH_SUBMIT_SYNC,
    Parameters: {
      "JobName.$": props.jobName,
      JobQueue: props.queueArn,
      JobDefinition: props.jobArn,
      "ShareIdentifier.$": "$.tenantId",
      ...(props.arrayProperties ? { ArrayProperties: props.arrayProperties } : {}),
      ContainerOverrides: { Environment: props.environment },
      Tags: Object.fromEntries(Object.entries(props.tags).map(([key, path]) => [`${key}.$`, path])),
      PropagateTags: true,
    },
    // The job's description is not needed downstream: keep the state's input as its output.
    ResultPath: null,
    Retry: BATCH_RETRY,
    ...(props.next ? { Next: props.next } : { End: true as const }),
  };
}

/** The steps of one sample: a child execution of the Distributed Map, one per manifest line. */
function sampleStates(props: AnalysisDefinitionProps): States {
  const sampleTags = { AnalysisId: "$.analysisId", TenantId: "$.tenantId", SampleId: "$.sample.sampleId" };
  const identify = (arrayProperties?: Readonly<Record<string, unknown>>) =>
    batchJob({
      jobName: "States.Format('identify-{}-{}', $.analysisId, $.sample.sampleId)",
      queueArn: props.bulkQueueArn,
      jobArn: props.identifyJobArn,
      // Child i of the array job reads line i (AWS_BATCH_JOB_ARRAY_INDEX) of the sample manifest.
      environment: runEnvironment({ SAMPLE_ID: "$.sample.sampleId", SAMPLE_MANIFEST_KEY: SAMPLE_MANIFEST_KEY_INTRINSIC }),
      tags: sampleTags,
      arrayProperties,
      next: "AggregateSample",
      comment: "Peptide and protein identification: one Batch job per protein file of the sample",
    });
  const files = "$.sample.files";
  return {
    // Three Choice states, so that no comparison ever reads a missing field or a value of the wrong type (Step
    // Functions fails the execution with States.Runtime on either, whatever the order of an Or's operands).
    CheckSample: {
      Type: "Choice",
      Comment: "The manifest was checked before the map started; this keeps a sample that is not from it out of Batch",
      Choices: [{ Or: [missing("$.sample.sampleId"), missing(files)], Next: "InvalidSample" }],
      Default: "CheckSampleTypes",
    },
    CheckSampleTypes: {
      Type: "Choice",
      Choices: [{ Or: [notString("$.sample.sampleId"), notNumber(files)], Next: "InvalidSample" }],
      Default: "ChooseIdentification",
    },
    ChooseIdentification: {
      Type: "Choice",
      Choices: [
        { Or: [{ Variable: files, NumericLessThan: 1 }, { Variable: files, NumericGreaterThan: MAX_FILES_PER_SAMPLE }], Next: "InvalidSample" },
        { Variable: files, NumericEquals: 1, Next: "IdentifyOneProtein" },
      ],
      Default: "IdentifyProteins",
    },
    InvalidSample: { Type: "Fail", Error: "InvalidInput", Cause: `each sample needs a sampleId and between 1 and ${MAX_FILES_PER_SAMPLE} files` },
    // An array job needs at least two children: a one-file sample runs a single job, which reads line 0.
    IdentifyOneProtein: identify(),
    IdentifyProteins: identify({ "Size.$": files }),
    AggregateSample: {
      ...batchJob({
        jobName: "States.Format('aggregate-{}-{}', $.analysisId, $.sample.sampleId)",
        queueArn: props.interactiveQueueArn,
        jobArn: props.aggregateJobArn,
        environment: runEnvironment({ SAMPLE_ID: "$.sample.sampleId" }),
        tags: sampleTags,
        next: undefined,
        comment: "Quantification and sample-level metrics from the identifications",
      }),
      // Each child's output is an element of the map's output (256 KiB at most): an empty object per sample.
      OutputPath: null,
    },
  };
}

/**
 * The `analysis` state machine. Input: `{ analysisId, tenantId, manifest: { bucket, key } }`, the execution named
 * after `analysisId` (docs/contracts/analysis-input.schema.json); the work list is the manifest in S3.
 *
 * `ValidateInput` (a function) checks the input and the manifest and pins the manifest's version; an invalid one
 * fails the execution with `InvalidInput` and the reason -> `ProcessSamples`, a Distributed Map that reads the
 * manifest and runs one STANDARD child execution per sample (at most `maxConcurrentSamples` at once): a Batch array
 * job over the sample's protein files (`bulk` queue), then its aggregation (`interactive`) -> `PublishMetrics` writes
 * the analysis metrics to RDS (`interactive`). The execution's output is the analysis summary.
 *
 * Nothing here announces the outcome: Step Functions' own status change events (every end, including time-outs and
 * aborts) reach the API through an EventBridge rule, and the dashboard is refreshed by its own scheduled flow.
 * No state payload, Batch request or container override grows with the number of samples or files.
 */
export function analysisDefinition(props: AnalysisDefinitionProps): StateMachineDefinition {
  const analysisTags = { AnalysisId: "$.analysisId", TenantId: "$.tenantId" };
  return {
    Comment: "Mass-spectrometry analysis of a set of samples, one protein file per Batch job",
    StartAt: "ValidateInput",
    TimeoutSeconds: props.timeoutSeconds,
    States: {
      ValidateInput: {
        Type: "Task",
        Comment: "Input contract and manifest (docs/contracts/): checked before any compute starts",
        Resource: LAMBDA_INVOKE,
        Parameters: { FunctionName: props.validateInputFunctionArn, Payload: { "input.$": "$", "executionName.$": "$$.Execution.Name" } },
        ResultSelector: { "validation.$": "$.Payload" },
        // No ResultPath: the result replaces the state (the input is not needed any more).
        Retry: LAMBDA_RETRY,
        Next: "CheckInput",
      },
      CheckInput: {
        Type: "Choice",
        Choices: [{ Variable: "$.validation.valid", BooleanEquals: true, Next: "Accept" }],
        Default: "RejectInput",
      },
      RejectInput: { Type: "Fail", Error: "InvalidInput", CausePath: "$.validation.reason" },
      Accept: {
        Type: "Pass",
        Comment: "From here on the state is the checked analysis: ids, sample count and the pinned manifest",
        OutputPath: "$.validation.analysis",
        Next: "ProcessSamples",
      },
      ProcessSamples: {
        Type: "Map",
        Comment: "One child execution per sample: identification of every protein file, then aggregation",
        Label: SAMPLES_MAP_RUN_LABEL,
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "JSONL", MaxItems: MAX_SAMPLES },
          Parameters: { "Bucket.$": "$.manifest.bucket", "Key.$": "$.manifest.key", "VersionId.$": "$.manifest.versionId" },
        },
        ItemSelector: { "analysisId.$": "$.analysisId", "tenantId.$": "$.tenantId", "sample.$": "$$.Map.Item.Value" },
        MaxConcurrency: props.maxConcurrentSamples,
        // An analysis is whole or failed: partial metrics would be published as if complete.
        ToleratedFailurePercentage: 0,
        ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "CheckSample", States: sampleStates(props) },
        ResultPath: null,
        Next: "PublishMetrics",
      },
      PublishMetrics: batchJob({
        jobName: "States.Format('publish-metrics-{}', $.analysisId)",
        queueArn: props.interactiveQueueArn,
        jobArn: props.publishMetricsJobArn,
        environment: runEnvironment(),
        tags: analysisTags,
        next: undefined,
        comment: "Writes the analysis metrics to RDS through the proxy (IAM authentication)",
      }),
    },
  };
}
