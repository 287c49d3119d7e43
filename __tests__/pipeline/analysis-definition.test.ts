import { MAX_FILES_PER_SAMPLE, MAX_SAMPLES } from "../../modules/pipeline/analysis-definition";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { StackJson, onlyResource, referenceTo as ref, resourcesOf, synthesizedStacks } from "../helpers/synth";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const validateAsl: (definition: unknown) => { isValid: boolean; errors: unknown[] } = require("asl-validator");

/** Every state of a definition, Map processors included, by name. */
function allStates(states: Record<string, StackJson>): Record<string, StackJson> {
  return Object.entries(states).reduce(
    (all, [name, state]) => ({ ...all, [name]: state, ...(state.ItemProcessor ? allStates(state.ItemProcessor.States) : {}) }),
    {} as Record<string, StackJson>,
  );
}

/** The names reachable from `start` (Next, Default, Choices, Catch). */
function reachable(states: Record<string, StackJson>, start: string, seen = new Set<string>()): Set<string> {
  if (seen.has(start) || !states[start]) return seen;
  seen.add(start);
  const state = states[start];
  const next = [state.Next, state.Default, ...(state.Choices ?? []).map((c: StackJson) => c.Next), ...(state.Catch ?? []).map((c: StackJson) => c.Next)];
  for (const name of next.filter(Boolean)) reachable(states, name, seen);
  return seen;
}

describe.each(ENVIRONMENT_NAMES)("%s analysis state machine", (name) => {
  const env = environment(name);
  const stack = synthesizedStacks(name)[`${name}-pipeline`];
  const machine = onlyResource(stack, "aws_sfn_state_machine");
  const definition = JSON.parse(machine.definition);
  const states = allStates(definition.States);
  const tasks = Object.entries(states).filter(([, state]) => state.Type === "Task");
  const queueArn = (queue: string) => `${ref("aws_batch_job_queue", Object.entries(resourcesOf(stack, "aws_batch_job_queue")).find(([, q]) => q.name === `proteomics-${name}-${queue}`)![0])}arn}`;
  const jobArn = (step: string) => `${ref("aws_batch_job_definition", Object.entries(resourcesOf(stack, "aws_batch_job_definition")).find(([, j]) => j.name === `proteomics-${name}-${step}`)![0])}arn}`;

  it("is valid Amazon States Language, with the references as synthesized and with placeholder ARNs", () => {
    expect(validateAsl({ StartAt: "Nowhere", States: {} }).isValid).toBe(false);
    // The validator annotates what it is given: hand it copies.
    expect(validateAsl(structuredClone(definition))).toMatchObject({ isValid: true, errors: [] });
    const placeholders = machine.definition.replace(/\$\{[^}]+\}/g, "arn:aws:batch:sa-east-1:111122223333:job-queue/placeholder");
    expect(validateAsl(JSON.parse(placeholders))).toMatchObject({ isValid: true, errors: [] });
  });

  it("checks the input contract first", () => {
    expect(definition.StartAt).toBe("ValidateInput");
    const validate = definition.States.ValidateInput;
    expect(validate.Type).toBe("Choice");
    expect(JSON.stringify(validate.Choices)).toContain(`$.samples[${MAX_SAMPLES}]`);
    expect(validate.Default).toBe("ProcessSamples");
    expect(states.CheckSample.Type).toBe("Choice");
    expect(states.ChooseIdentification.Choices).toContainEqual({ Variable: "$.count.files", NumericGreaterThan: MAX_FILES_PER_SAMPLE, Next: "TooManyFiles" });
  });

  it("maps over the samples with the configured concurrency", () => {
    const map = definition.States.ProcessSamples;
    expect(map).toMatchObject({ Type: "Map", ItemsPath: "$.samples", MaxConcurrency: env.pipeline.maxConcurrentSamples, ItemProcessor: { ProcessorConfig: { Mode: "INLINE" } } });
    expect(map.ItemSelector).toEqual({ "analysisId.$": "$.analysisId", "tenantId.$": "$.tenantId", "sample.$": "$$.Map.Item.Value" });
    expect(map.Next).toBe("PublishMetrics");
  });

  it("runs one Batch array child per protein file on the bulk queue, sized by the number of files", () => {
    expect(states.CountFiles.Parameters).toEqual({ "files.$": "States.ArrayLength($.sample.files)" });
    const identify = states.IdentifyProteins;
    expect(identify.Resource).toBe("arn:aws:states:::batch:submitJob.sync");
    expect(identify.Parameters).toMatchObject({ JobQueue: queueArn("bulk"), JobDefinition: jobArn("identify"), ArrayProperties: { "Size.$": "$.count.files" } });
    expect(identify.Parameters.ContainerOverrides.Environment).toContainEqual({ Name: "INPUT_KEYS", "Value.$": "States.JsonToString($.sample.files)" });
    expect(states.IdentifyOneProtein.Parameters.ArrayProperties).toBeUndefined();
    expect(states.ChooseIdentification.Choices).toContainEqual({ Variable: "$.count.files", NumericEquals: 1, Next: "IdentifyOneProtein" });
  });

  it("aggregates each sample and publishes the metrics on the interactive queue", () => {
    expect(states.AggregateSample.Parameters).toMatchObject({ JobQueue: queueArn("interactive"), JobDefinition: jobArn("aggregate") });
    expect(states.IdentifyProteins.Next).toBe("AggregateSample");
    expect(definition.States.PublishMetrics.Parameters).toMatchObject({ JobQueue: queueArn("interactive"), JobDefinition: jobArn("publish-metrics") });
  });

  it("submits every Batch job .sync, fair-shared by tenant", () => {
    const batch = tasks.filter(([, task]) => task.Resource.includes(":batch:"));
    expect(batch.map(([stateName]) => stateName).sort()).toEqual(["AggregateSample", "IdentifyOneProtein", "IdentifyProteins", "PublishMetrics"]);
    for (const [, task] of batch) {
      expect(task.Resource).toBe("arn:aws:states:::batch:submitJob.sync");
      expect(task.Parameters["ShareIdentifier.$"]).toBe("$.tenantId");
      expect(task.Retry[0].ErrorEquals).toContain("Batch.AWSBatchException");
    }
  });

  it("retries with backoff and catches failures on every task", () => {
    for (const [stateName, task] of tasks) {
      expect([stateName, task.Retry[0]]).toEqual([stateName, expect.objectContaining({ BackoffRate: 2, JitterStrategy: "FULL" })]);
      expect([stateName, task.Catch[0].ErrorEquals]).toEqual([stateName, ["States.ALL"]]);
    }
  });

  it("refreshes the dashboard through the Redshift Data API and waits for the statement", () => {
    const refresh = definition.States.RefreshDashboard;
    expect(refresh.Resource).toBe("arn:aws:states:::aws-sdk:redshiftdata:executeStatement");
    expect(refresh.Parameters).toMatchObject({ Database: env.data.redshift.databaseName, Sql: "CALL dashboard.refresh_views()" });
    expect(refresh.Parameters.ClusterIdentifier).toMatch(new RegExp(`analytics|cross-stack`));
    expect(definition.States.DescribeRefresh.Resource).toBe("arn:aws:states:::aws-sdk:redshiftdata:describeStatement");
    expect(definition.States.CheckRefresh.Choices[0]).toEqual({ Variable: "$.refresh.status", StringEquals: "FINISHED", Next: "PublishSucceeded" });
    expect(definition.States.CheckRefresh.Default).toBe("WaitForRefresh");
  });

  it("announces success on the analysis bus", () => {
    const succeeded = definition.States.PublishSucceeded;
    expect(succeeded.Resource).toBe("arn:aws:states:::events:putEvents");
    expect(succeeded.Parameters.Entries[0]).toMatchObject({ Source: "proteomics.analysis", DetailType: "AnalysisSucceeded" });
    expect(succeeded.Next).toBe("Succeeded");
  });

  it("announces AnalysisFailed with the cause from every failure, then fails", () => {
    const failurePath = reachable(definition.States, "RecordFailure");
    expect([...failurePath]).toEqual(["RecordFailure", "PublishFailed", "Failed"]);
    expect(definition.States.PublishFailed.Parameters.Entries[0]).toMatchObject({
      DetailType: "AnalysisFailed",
      Detail: expect.objectContaining({ "error.$": "$.error", "cause.$": "$.cause" }),
    });
    expect(definition.States.Failed).toEqual({ Type: "Fail", ErrorPath: "$.error", CausePath: "$.cause" });
    for (const [stateName, state] of Object.entries(definition.States) as Array<[string, StackJson]>) {
      if (state.Catch && stateName !== "PublishFailed") expect([stateName, state.Catch[0].Next]).toEqual([stateName, "RecordFailure"]);
    }
    for (const [stateName, state] of Object.entries(definition.States.ProcessSamples.ItemProcessor.States) as Array<[string, StackJson]>) {
      if (state.Catch) expect([stateName, state.Catch[0].Next]).toEqual([stateName, "SampleFailed"]);
    }
  });

  it("stops an execution after the configured time", () => {
    expect(definition.TimeoutSeconds).toBe(env.pipeline.executionTimeoutSeconds);
  });
});
