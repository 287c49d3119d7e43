import { ExecutionRun, jsonBytes, taskError } from "./local-step-functions";
import { StackJson, resourcesOf } from "./synth";

/**
 * Local stand-ins for the AWS services the analysis calls, strict about what AWS refuses: an in-memory versioned
 * S3, and a Batch that checks every SubmitJob against Batch's limits and runs each job through its synthesized
 * retry strategy.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A versioned bucket store: bucket -> key -> versions (latest last). */
export class LocalS3 {
  private readonly objects = new Map<string, Array<{ readonly body: string; readonly versionId: string }>>();
  private versions = 0;

  put(bucket: string, key: string, body: string): string {
    const versionId = `v${++this.versions}`;
    const id = `${bucket}/${key}`;
    this.objects.set(id, [...(this.objects.get(id) ?? []), { body, versionId }]);
    return versionId;
  }

  /** An object's text and version (`versionId` absent: the latest), or undefined. */
  get(bucket: string, key: string, versionId?: string): { readonly body: string; readonly versionId: string } | undefined {
    const versions = this.objects.get(`${bucket}/${key}`) ?? [];
    return versionId ? versions.find((version) => version.versionId === versionId) : versions.at(-1);
  }

  /** The validation function's reader (`createHandler({ getObject })`). */
  readonly getObject = async ({ bucket, key, maxBytes }: { bucket: string; key: string; maxBytes: number }) => {
    const object = this.get(bucket, key);
    if (!object) return undefined;
    if (Buffer.byteLength(object.body) > maxBytes) return { tooLarge: Buffer.byteLength(object.body) };
    return { text: object.body, versionId: object.versionId };
  };

  /** What a Distributed Map's ItemReader (`s3:getObject`, JSONL) yields for its resolved parameters. */
  readonly readItems = (parameters: Json, readerConfig: Json): Json[] => {
    if (readerConfig.InputType !== "JSONL") throw new Error(`the test reads JSONL manifests, not ${readerConfig.InputType}`);
    const object = this.get(parameters.Bucket, parameters.Key, parameters.VersionId);
    if (!object) throw taskError("States.ItemReaderFailed", `no object s3://${parameters.Bucket}/${parameters.Key} version ${parameters.VersionId}`);
    return object.body
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line));
  };
}

/** Batch's limits on SubmitJob (Batch and ECS quotas). */
export const BATCH_LIMITS = {
  requestBytes: 30 * 1024,
  containerOverridesCharacters: 8192,
  jobName: /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/,
  shareIdentifier: /^[A-Za-z0-9]{1,255}$/,
  arraySize: { min: 2, max: 10000 },
  tags: 50,
  tagValueCharacters: 256,
} as const;

/** How one attempt of a job (or of one array child) ends. */
export interface AttemptOutcome {
  readonly statusReason?: string;
  readonly exitCode?: number;
  readonly reason?: string;
}

/** Scripted attempts: for a job name (and array index), the outcomes of its attempts in order; later ones succeed. */
export type AttemptScript = (jobName: string, arrayIndex: number | undefined) => readonly AttemptOutcome[];

const glob = (pattern: string, value: string | undefined): boolean =>
  value !== undefined && new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(value);

/** The synthesized job definition a `JobDefinition` parameter refers to. */
function jobDefinitionOf(stack: StackJson, reference: string): Json {
  const [, id] = /^\$\{aws_batch_job_definition\.([^.]+)\.arn\}$/.exec(reference) ?? [];
  const definition = id && resourcesOf(stack, "aws_batch_job_definition")[id];
  if (!definition) throw taskError("Batch.ClientException", `JobDefinition ${reference} is not a job definition of the stack`);
  return definition;
}

/**
 * A Batch that accepts only what Batch accepts and answers `submitJob.sync` like Step Functions does: the job's
 * description when it succeeded, `States.TaskFailed` with the description as cause when it failed. Each job (each
 * array child) runs through its job definition's synthesized `retry_strategy`: `evaluate_on_exit` decides RETRY or
 * EXIT per attempt, up to `attempts`.
 */
export class LocalBatch {
  /** Every accepted SubmitJob request, in order. */
  readonly requests: Json[] = [];
  /** Every attempt run, by job name and index. */
  readonly attempts: Array<{ readonly jobName: string; readonly arrayIndex?: number; readonly outcome: AttemptOutcome; readonly action: string }> = [];

  constructor(
    private readonly stack: StackJson,
    /** What each job's attempts do. @default every job succeeds on its first attempt */
    private readonly script?: AttemptScript,
  ) {}

  submitJobSync(request: Json): Json {
    const problems = this.check(request);
    if (problems.length) throw taskError("Batch.ClientException", problems.join("; "));
    this.requests.push(request);
    const definition = jobDefinitionOf(this.stack, request.JobDefinition);
    const size: number | undefined = request.ArrayProperties?.Size;
    // Unscripted, every child succeeds at once (not one call per child: 10,000 per sample at the largest size).
    const script = this.script;
    const indices = script === undefined ? [] : size === undefined ? [undefined] : Array.from({ length: size }, (_, index) => index);
    const failed = indices.filter((index) => !this.runChild(definition, script!, request.JobName, index)).length;
    const description = {
      jobName: request.JobName,
      jobId: `job-${this.requests.length}`,
      jobQueue: request.JobQueue,
      status: failed ? "FAILED" : "SUCCEEDED",
      ...(size !== undefined ? { arrayProperties: { size, statusSummary: { SUCCEEDED: size - failed, FAILED: failed } } } : {}),
      statusReason: failed ? `${failed} job(s) failed` : "Essential container in task exited",
    };
    if (failed) throw taskError("States.TaskFailed", JSON.stringify(description));
    return description;
  }

  /** Runs one job (or array child) through the definition's retry strategy; true when it succeeded. */
  private runChild(definition: Json, script: AttemptScript, jobName: string, arrayIndex: number | undefined): boolean {
    const scripted = script(jobName, arrayIndex);
    // Children the script has nothing for succeed at once and are not recorded.
    if (scripted.length === 0) return true;
    const { attempts, evaluate_on_exit: rules } = definition.retry_strategy;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const outcome = scripted[attempt] ?? { exitCode: 0 };
      if (outcome.exitCode === 0 && !outcome.statusReason) {
        this.attempts.push({ jobName, arrayIndex, outcome, action: "SUCCEEDED" });
        return true;
      }
      const rule = (rules as Json[]).find(
        (candidate) =>
          (candidate.on_status_reason === undefined || glob(candidate.on_status_reason, outcome.statusReason)) &&
          (candidate.on_reason === undefined || glob(candidate.on_reason, outcome.reason ?? "")) &&
          (candidate.on_exit_code === undefined || glob(candidate.on_exit_code, String(outcome.exitCode ?? ""))),
      );
      const action = rule?.action ?? "RETRY";
      this.attempts.push({ jobName, arrayIndex, outcome, action });
      if (action === "EXIT") return false;
    }
    return false;
  }

  private check(request: Json): string[] {
    const problems: string[] = [];
    if (jsonBytes(request) > BATCH_LIMITS.requestBytes) problems.push(`request of ${jsonBytes(request)} bytes > ${BATCH_LIMITS.requestBytes}`);
    const overrides = JSON.stringify(request.ContainerOverrides ?? {}).length;
    if (overrides > BATCH_LIMITS.containerOverridesCharacters) problems.push(`container overrides of ${overrides} characters > ${BATCH_LIMITS.containerOverridesCharacters}`);
    if (!BATCH_LIMITS.jobName.test(request.JobName ?? "")) problems.push(`job name ${request.JobName} breaks Batch's rule`);
    if (!BATCH_LIMITS.shareIdentifier.test(request.ShareIdentifier ?? "")) problems.push(`share identifier ${request.ShareIdentifier} is not 1-255 alphanumerics`);
    const size = request.ArrayProperties?.Size;
    if (size !== undefined && (size < BATCH_LIMITS.arraySize.min || size > BATCH_LIMITS.arraySize.max)) problems.push(`array size ${size} outside 2-10000`);
    const tags = Object.entries(request.Tags ?? {});
    if (tags.length > BATCH_LIMITS.tags) problems.push(`${tags.length} tags > ${BATCH_LIMITS.tags}`);
    for (const [key, value] of tags) if (String(value).length > BATCH_LIMITS.tagValueCharacters) problems.push(`tag ${key} longer than 256`);
    return problems;
  }
}

/** The "Step Functions Execution Status Change" event Step Functions puts on the default bus when `run` ended. */
export function executionStatusEvent(run: ExecutionRun, location: { readonly stateMachineArn: string; readonly region: string; readonly account: string }): Json {
  const executionArn = `${location.stateMachineArn.replace(":stateMachine:", ":execution:")}:${run.name}`;
  return {
    version: "0",
    id: "00000000-0000-4000-8000-000000000000",
    "detail-type": "Step Functions Execution Status Change",
    source: "aws.states",
    account: location.account,
    time: new Date().toISOString(),
    region: location.region,
    resources: [executionArn],
    detail: {
      executionArn,
      stateMachineArn: location.stateMachineArn,
      name: run.name,
      status: run.status,
      startDate: Date.now() - 1000,
      stopDate: Date.now(),
      input: JSON.stringify(run.input),
      inputDetails: { included: true },
      output: run.status === "SUCCEEDED" ? JSON.stringify(run.output) : null,
      outputDetails: run.status === "SUCCEEDED" ? { included: true } : null,
      error: run.error ?? null,
      cause: run.cause ?? null,
    },
  };
}

/** Whether `event` matches an EventBridge pattern made of exact-value lists and nested objects (what the stacks use). */
export function matchesPattern(pattern: Json, event: Json): boolean {
  return Object.entries(pattern).every(([key, expected]) =>
    Array.isArray(expected) ? expected.includes(event?.[key]) : typeof expected === "object" && expected !== null && matchesPattern(expected, event?.[key]),
  );
}
