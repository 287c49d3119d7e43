import { MAX_SAMPLES } from "../../modules/pipeline/analysis-contract";
import { SAMPLES_MAP_RUN_LABEL } from "../../modules/pipeline/analysis-definition";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { StackJson, referenceTo as ref, resourcesOf, synthesizedStacks } from "../helpers/synth";
import { onlyMachine } from "../helpers/analysis-run";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const validateAsl: (definition: unknown) => { isValid: boolean; errors: unknown[] } = require("asl-validator");

// What the synthesized definitions are made of; what they do is run in analysis-execution.test.ts and
// dashboard-refresh.test.ts.

/** Every state of a definition, Map processors included, by name. */
function allStates(states: Record<string, StackJson>): Record<string, StackJson> {
  return Object.entries(states).reduce(
    (all, [name, state]) => ({ ...all, [name]: state, ...(state.ItemProcessor ? allStates(state.ItemProcessor.States) : {}) }),
    {} as Record<string, StackJson>,
  );
}

it("the States Language validator refuses a definition that is not one", () => {
  expect(validateAsl({ StartAt: "Nowhere", States: {} }).isValid).toBe(false);
});

describe.each(ENVIRONMENT_NAMES)("%s state machine definitions", (name) => {
  const env = environment(name);
  const prefix = `${env.project}-${env.name}`;
  const stack = synthesizedStacks(name)[`${name}-pipeline`];
  const machines = [`${prefix}-analysis`, `${prefix}-dashboard-refresh`].map((machineName) => onlyMachine(stack, machineName));
  const definition = JSON.parse(machines[0].definition);
  const states = allStates(definition.States);
  const tasks = Object.entries(states).filter(([, state]) => state.Type === "Task");
  const jobArn = (step: string) => `${ref("aws_batch_job_definition", Object.entries(resourcesOf(stack, "aws_batch_job_definition")).find(([, j]) => j.name === `${prefix}-${step}`)![0])}arn}`;

  it.each([0, 1])("are valid Amazon States Language, with the references as synthesized and with placeholder ARNs (machine %i)", (index) => {
    const synthesized = machines[index].definition;
    // The validator annotates what it is given: hand it copies.
    expect(validateAsl(JSON.parse(synthesized))).toMatchObject({ isValid: true, errors: [] });
    const placeholders = synthesized.replace(/\$\{[^}]+\}/g, "arn:aws:batch:sa-east-1:111122223333:job-queue/placeholder");
    expect(validateAsl(JSON.parse(placeholders))).toMatchObject({ isValid: true, errors: [] });
  });

  it("map the samples of the manifest as child executions, as many at once as configured, all or nothing", () => {
    expect(definition.States.ProcessSamples).toMatchObject({
      Type: "Map",
      Label: SAMPLES_MAP_RUN_LABEL,
      ItemReader: {
        Resource: "arn:aws:states:::s3:getObject",
        ReaderConfig: { InputType: "JSONL", MaxItems: MAX_SAMPLES },
        Parameters: { "Bucket.$": "$.manifest.bucket", "Key.$": "$.manifest.key", "VersionId.$": "$.manifest.versionId" },
      },
      MaxConcurrency: env.pipeline.maxConcurrentSamples,
      ToleratedFailurePercentage: 0,
      ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" } },
      ResultPath: null,
    });
    expect(definition.TimeoutSeconds).toBe(env.pipeline.executionTimeoutSeconds);
  });

  it("submit every Batch job .sync to the intended queue and job definition, fair-shared by tenant, retried on Batch's transient errors", () => {
    const batch = Object.fromEntries(tasks.filter(([, task]) => task.Resource.includes(":batch:")));
    expect(Object.keys(batch).sort()).toEqual(["AggregateSample", "IdentifyOneProtein", "IdentifyProteins", "PublishMetrics"]);
    const queueNames = Object.fromEntries(Object.entries(resourcesOf(stack, "aws_batch_job_queue")).map(([id, queue]) => [`${ref("aws_batch_job_queue", id)}arn}`, queue.name]));
    const queueOf = (task: StackJson) => queueNames[task.Parameters.JobQueue];
    expect(Object.fromEntries(Object.entries(batch).map(([state, task]) => [state, [queueOf(task), task.Parameters.JobDefinition]]))).toEqual({
      IdentifyOneProtein: [`${prefix}-bulk`, jobArn("identify")],
      IdentifyProteins: [`${prefix}-bulk`, jobArn("identify")],
      AggregateSample: [`${prefix}-interactive`, jobArn("aggregate")],
      PublishMetrics: [`${prefix}-interactive`, jobArn("publish-metrics")],
    });
    for (const task of Object.values(batch)) {
      expect(task).toMatchObject({ Resource: "arn:aws:states:::batch:submitJob.sync", ResultPath: null, Parameters: { "ShareIdentifier.$": "$.tenantId", PropagateTags: true } });
      expect(task.Retry[0].ErrorEquals).toEqual(["Batch.AWSBatchException", "Batch.ServerException", "Batch.TooManyRequestsException"]);
    }
  });

  it("retry every task's transient errors with backoff and jitter, and never retry what failed for good", () => {
    for (const [stateName, task] of tasks) {
      expect([stateName, task.Retry[0]]).toEqual([stateName, expect.objectContaining({ BackoffRate: 2, JitterStrategy: "FULL" })]);
      for (const retrier of task.Retry) expect([stateName, retrier.ErrorEquals]).not.toContainEqual(expect.arrayContaining(["States.ALL"]));
    }
  });

  it("announce nothing themselves: every end reaches the API through Step Functions' own events", () => {
    expect(tasks.filter(([, task]) => task.Resource.includes(":events:") || task.Resource.includes("redshiftdata"))).toEqual([]);
  });
});
