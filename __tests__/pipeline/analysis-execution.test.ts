import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { MAX_FILES_PER_SAMPLE, MAX_SAMPLES } from "../../modules/pipeline/analysis-contract";
import { HISTORY_EVENT_LIMIT, worstCaseHistoryEvents } from "../../modules/pipeline/execution-history";
import { AnalysisHarness, TestSample } from "../helpers/analysis-run";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { BATCH_LIMITS, LocalBatch, matchesPattern } from "../helpers/local-aws";
import { PAYLOAD_LIMIT_BYTES, jsonBytes, runExecution } from "../helpers/local-step-functions";
import { StackJson, resourcesOf, synthesizedStacks } from "../helpers/synth";

// The synthesized `analysis` state machine, executed by aws-local-stepfunctions with local stand-ins for the
// validation function (its real code), S3, Batch (its synthesized retry strategies) and EventBridge. The interpreter
// cannot read S3 or start child executions: the Distributed Map's items are read from the test's S3 by the runner,
// which runs the map's item processor once per manifest line (helpers/local-step-functions.ts).

const ANALYSIS_ID = "3f1c9a52-7d4e-4b8a-9c61-2e5f0a7b9d13";
const TENANT = "acmelab01";
const contracts = path.join(__dirname, "..", "..", "docs", "contracts");
const ajv = new Ajv2020({ allErrors: true, strict: false });
const statusSchema = ajv.compile(JSON.parse(fs.readFileSync(path.join(contracts, "analysis-status.schema.json"), "utf8")));

const samples = (count: number, files: number): TestSample[] => Array.from({ length: count }, (_, index) => ({ sampleId: `sample-${index + 1}`, files }));

/** The rule that takes the analysis's ends to the status queue, with the state machine's ARN as AWS would fill it. */
function endedRulePattern(stack: StackJson, harness: AnalysisHarness): StackJson {
  const rule = Object.values(resourcesOf(stack, "aws_cloudwatch_event_rule")).find((candidate) => candidate.name === `${harness.env.project}-${harness.env.name}-analysis-ended`)!;
  const [machineId] = Object.entries(resourcesOf(stack, "aws_sfn_state_machine")).find(([, machine]) => machine.name.endsWith("-analysis"))!;
  const pattern = JSON.parse(rule.event_pattern);
  expect(pattern.detail.stateMachineArn).toEqual([`\${aws_sfn_state_machine.${machineId}.arn}`]);
  return { ...pattern, detail: { ...pattern.detail, stateMachineArn: [harness.stateMachineArn] } };
}

describe.each(ENVIRONMENT_NAMES)("%s analysis, executed", (name) => {
  const env = environment(name);
  const stack = synthesizedStacks(name)[`${name}-pipeline`];
  const harness = new AnalysisHarness(env, stack);
  const pattern = endedRulePattern(stack, harness);

  /** The end message the API receives: it matches the rule and the published contract. */
  const expectReported = (event: StackJson, status: string) => {
    expect(matchesPattern(pattern, event)).toBe(true);
    expect(statusSchema(event) ? [] : statusSchema.errors).toEqual([]);
    expect(event.detail).toMatchObject({ status, name: ANALYSIS_ID });
  };

  it(`runs the largest analysis (${MAX_SAMPLES} samples x ${MAX_FILES_PER_SAMPLE} files) within every Step Functions and Batch limit`, async () => {
    const input = harness.writeAnalysis(ANALYSIS_ID, TENANT, samples(MAX_SAMPLES, MAX_FILES_PER_SAMPLE));
    const { run, batch, event } = await harness.run(input, { name: ANALYSIS_ID });

    expect([run.status, run.error, run.cause]).toEqual(["SUCCEEDED", undefined, undefined]);
    expect(run.path).toEqual(["ValidateInput", "CheckInput", "Accept", "ProcessSamples", "PublishMetrics"]);
    expect(run.output).toEqual({ analysisId: ANALYSIS_ID, tenantId: TENANT, samples: MAX_SAMPLES, manifest: { ...input.manifest, versionId: expect.any(String) } });
    expectReported(event, "SUCCEEDED");

    // Payloads: the execution input, every state's output, every child's input and states, the map's output.
    expect(jsonBytes(input)).toBeLessThan(1024);
    const outputs = [run, ...run.children].flatMap((execution) => execution.stateOutputs.map((output) => output.bytes));
    expect(Math.max(...outputs)).toBeLessThan(4 * 1024);
    expect(Math.max(...run.children.map((child) => jsonBytes(child.input)))).toBeLessThan(1024);
    expect(jsonBytes(run.children.map((child) => child.output))).toBeLessThan(PAYLOAD_LIMIT_BYTES / 16);

    // Batch: one array job of 10,000 children per sample, every request and override far below Batch's limits.
    const identify = batch.requests.filter((request) => request.JobName.startsWith("identify-"));
    expect(identify).toHaveLength(MAX_SAMPLES);
    expect(new Set(identify.map((request) => request.ArrayProperties.Size))).toEqual(new Set([MAX_FILES_PER_SAMPLE]));
    expect(batch.requests).toHaveLength(2 * MAX_SAMPLES + 1);
    expect(Math.max(...batch.requests.map(jsonBytes))).toBeLessThan(BATCH_LIMITS.requestBytes / 8);
    expect(Math.max(...batch.requests.map((request) => JSON.stringify(request.ContainerOverrides).length))).toBeLessThan(BATCH_LIMITS.containerOverridesCharacters / 8);
    expect(identify[0].ContainerOverrides.Environment).toEqual([
      { Name: "ANALYSIS_ID", Value: ANALYSIS_ID },
      { Name: "TENANT_ID", Value: TENANT },
      { Name: "SAMPLE_ID", Value: "sample-1" },
      { Name: "SAMPLE_MANIFEST_KEY", Value: `manifests/${TENANT}/${ANALYSIS_ID}/samples/sample-1.jsonl` },
    ]);
    expect(identify[0]).toMatchObject({ JobName: `identify-${ANALYSIS_ID}-sample-1`, ShareIdentifier: TENANT, Tags: { AnalysisId: ANALYSIS_ID, TenantId: TENANT, SampleId: "sample-1" } });

    // History: each execution (the parent and every sample's child) within the worst case, itself far below 25,000.
    const processor = harness.definition.States.ProcessSamples;
    if (processor.Type !== "Map") throw new Error("ProcessSamples is a Map");
    const parentWorst = worstCaseHistoryEvents(harness.definition);
    const childWorst = worstCaseHistoryEvents({ StartAt: processor.ItemProcessor.StartAt, States: processor.ItemProcessor.States });
    expect(run.historyEvents).toBeLessThanOrEqual(parentWorst);
    expect(Math.max(...run.children.map((child) => child.historyEvents))).toBeLessThanOrEqual(childWorst);
    expect(Math.max(parentWorst, childWorst)).toBeLessThan(HISTORY_EVENT_LIMIT / 100);
  }, 60000);

  it("retries an identification whose Spot instance was reclaimed (Host EC2*), and the analysis succeeds", async () => {
    const input = harness.writeAnalysis(ANALYSIS_ID, TENANT, samples(3, 4));
    const reclaimed = { statusReason: "Host EC2 (instance i-0123456789abcdef0) terminated." };
    const { run, batch, event } = await harness.run(input, {
      name: ANALYSIS_ID,
      script: (jobName, index) => (jobName === `identify-${ANALYSIS_ID}-sample-2` && index === 1 ? [reclaimed] : []),
    });
    expect(run.status).toBe("SUCCEEDED");
    expect(batch.attempts.map(({ arrayIndex, action }) => [arrayIndex, action])).toEqual([
      [1, "RETRY"],
      [1, "SUCCEEDED"],
    ]);
    expectReported(event, "SUCCEEDED");
  });

  it(`fails the analysis when Spot reclaims a job on all of its ${env.pipeline.jobs.identify.attempts} attempts`, async () => {
    const input = harness.writeAnalysis(ANALYSIS_ID, TENANT, samples(2, 3));
    const reclaimed = { statusReason: "Host EC2 (instance i-0123456789abcdef0) terminated." };
    const { run, batch, event } = await harness.run(input, {
      name: ANALYSIS_ID,
      script: (jobName, index) => (jobName.startsWith("identify-") && jobName.endsWith("sample-1") && index === 0 ? Array(20).fill(reclaimed) : []),
    });
    expect(batch.attempts).toHaveLength(env.pipeline.jobs.identify.attempts);
    expect([run.status, run.error]).toEqual(["FAILED", "States.ExceedToleratedFailureThreshold"]);
    expectReported(event, "FAILED");
  });

  it("fails the analysis, without publishing metrics, when a job fails for good (no retry of an application error)", async () => {
    const input = harness.writeAnalysis(ANALYSIS_ID, TENANT, samples(3, 2));
    const crashed = { exitCode: 1, reason: "Essential container in task exited", statusReason: "Essential container in task exited" };
    const { run, batch, event } = await harness.run(input, {
      name: ANALYSIS_ID,
      script: (jobName) => (jobName === `aggregate-${ANALYSIS_ID}-sample-3` ? [crashed, crashed] : []),
    });
    expect(batch.attempts.map(({ jobName, action }) => [jobName, action])).toEqual([[`aggregate-${ANALYSIS_ID}-sample-3`, "EXIT"]]);
    expect([run.status, run.error]).toEqual(["FAILED", "States.ExceedToleratedFailureThreshold"]);
    const failedSample = run.children.find((child) => child.status === "FAILED")!;
    expect([failedSample.input.sample.sampleId, failedSample.error]).toEqual(["sample-3", "States.TaskFailed"]);
    expect(JSON.parse(failedSample.cause!)).toMatchObject({ status: "FAILED", jobName: `aggregate-${ANALYSIS_ID}-sample-3` });
    expect(batch.requests.filter((request) => request.JobName.startsWith("publish-metrics-"))).toEqual([]);
    expectReported(event, "FAILED");
    expect(event.detail).toMatchObject({ error: "States.ExceedToleratedFailureThreshold", output: null });
  });

  // [case, how the input is broken, the reason given, the execution's name]
  const badInputs: Array<[string, (valid: StackJson) => StackJson, string, string]> = [
    ["a tenant that is not a Batch share identifier", (valid) => ({ ...valid, tenantId: "acme-lab" }), "tenantId must be 1 to 63 lowercase letters or digits (a Batch share identifier and a warehouse user)", ANALYSIS_ID],
    ["a tenant in mixed case (it would share a warehouse user with its lowercase twin)", (valid) => ({ ...valid, tenantId: "AcmeLab01" }), "tenantId must be 1 to 63 lowercase letters or digits (a Batch share identifier and a warehouse user)", ANALYSIS_ID],
    ["an analysis id that is not a UUID", (valid) => ({ ...valid, analysisId: "smoke-1" }), "analysisId must be a lowercase UUID", "smoke-1"],
    ["a file list instead of a manifest", (valid) => ({ ...valid, samples: [{ sampleId: "s1", files: ["a/b.mzML"] }] }), "unknown field(s): samples", ANALYSIS_ID],
    ["a manifest of another tenant", (valid) => ({ ...valid, manifest: { ...valid.manifest, key: `manifests/other/${ANALYSIS_ID}/samples.jsonl` } }), `manifest.key must be manifests/${TENANT}/${ANALYSIS_ID}/samples.jsonl`, ANALYSIS_ID],
    ["a manifest in another bucket", (valid) => ({ ...valid, manifest: { ...valid.manifest, bucket: "someone-elses-bucket" } }), "manifest.bucket must be", ANALYSIS_ID],
    ["an execution not named after its analysis", (valid) => valid, `the execution must be named after the analysis (${ANALYSIS_ID}), not retry-2`, "retry-2"],
  ];

  it.each(badInputs)("refuses %s with InvalidInput and the reason, before any job", async (_case, breakInput, reason, executionName) => {
    const input = breakInput(harness.writeAnalysis(ANALYSIS_ID, TENANT, samples(2, 2)));
    const { run, batch, event } = await harness.run(input, { name: executionName });
    expect([run.status, run.error]).toEqual(["FAILED", "InvalidInput"]);
    expect(run.cause).toContain(reason);
    expect(run.path).toEqual(["ValidateInput", "CheckInput", "RejectInput"]);
    expect(batch.requests).toEqual([]);
    expect(matchesPattern(pattern, event)).toBe(true);
    expect(statusSchema(event) ? [] : statusSchema.errors).toEqual([]);
  });

  const badManifests: Array<[string, (fresh: AnalysisHarness) => StackJson, string]> = [
    ["more samples than an analysis holds", (fresh) => fresh.writeAnalysis(ANALYSIS_ID, TENANT, samples(MAX_SAMPLES + 1, 1)), `the manifest lists ${MAX_SAMPLES + 1} samples; an analysis holds at most ${MAX_SAMPLES}`],
    ["a sample with more files than an array job holds", (fresh) => fresh.writeAnalysis(ANALYSIS_ID, TENANT, [{ sampleId: "big", files: MAX_FILES_PER_SAMPLE + 1 }]), `manifest line 1: files must be an integer from 1 to ${MAX_FILES_PER_SAMPLE}`],
    ["a sample listed twice", (fresh) => fresh.writeAnalysis(ANALYSIS_ID, TENANT, [{ sampleId: "s1", files: 1 }, { sampleId: "s1", files: 2 }]), "manifest line 2: sample s1 is listed twice"],
    ["no manifest at all", (fresh) => ({ analysisId: ANALYSIS_ID, tenantId: TENANT, manifest: { bucket: fresh.bucket, key: `manifests/${TENANT}/${ANALYSIS_ID}/samples.jsonl` } }), "no manifest at s3://"],
  ];

  it.each(badManifests)("refuses %s before any job", async (_case, write, reason) => {
    const fresh = new AnalysisHarness(env, stack);
    const { run, batch } = await fresh.run(write(fresh), { name: ANALYSIS_ID });
    expect([run.status, run.error]).toEqual(["FAILED", "InvalidInput"]);
    expect(run.cause).toContain(reason);
    expect(batch.requests).toEqual([]);
  });

  it.each([
    ["no sample id", { files: 2 }],
    ["no file count", { sampleId: "s1" }],
    ["a numeric sample id", { sampleId: 7, files: 2 }],
    ["a file count as text", { sampleId: "s1", files: "2" }],
    ["no file", { sampleId: "s1", files: 0 }],
    ["more files than an array job holds", { sampleId: "s1", files: MAX_FILES_PER_SAMPLE + 1 }],
  ])("keeps a malformed sample (%s) that reached the map out of Batch: InvalidInput, no States.Runtime", async (_case, sample) => {
    // Defence in depth: the validation function refuses such manifests; the sample's own first states would too.
    const map = harness.definition.States.ProcessSamples;
    if (map.Type !== "Map") throw new Error("ProcessSamples is a Map");
    const batch = new LocalBatch(stack);
    const child = await runExecution(
      { StartAt: map.ItemProcessor.StartAt, States: map.ItemProcessor.States },
      { analysisId: ANALYSIS_ID, tenantId: TENANT, sample },
      { name: "samples:0", stateMachineArn: `${harness.stateMachineArn}/samples`, handler: (_resource, parameters) => batch.submitJobSync(parameters) },
    );
    expect([child.status, child.error, child.path.at(-1)]).toEqual(["FAILED", "InvalidInput", "InvalidSample"]);
    expect(batch.requests).toEqual([]);
  });

  it("reports an analysis that ran past its time limit (TIMED_OUT) and one that was stopped (ABORTED)", async () => {
    const input = harness.writeAnalysis(ANALYSIS_ID, TENANT, samples(1, 2));
    // The definition's TimeoutSeconds (a day here) is shortened for the run; Batch answers only after it.
    expect(harness.definition.TimeoutSeconds).toBe(env.pipeline.executionTimeoutSeconds);
    const timedOut = await harness.run(input, { name: ANALYSIS_ID, batchDelayMs: 1000, timeoutMs: 100 });
    expect(timedOut.run.status).toBe("TIMED_OUT");
    expectReported(timedOut.event, "TIMED_OUT");
    const aborted = await harness.run(input, { name: ANALYSIS_ID, batchDelayMs: 1000, abortAfterMs: 100 });
    expect(aborted.run.status).toBe("ABORTED");
    expectReported(aborted.event, "ABORTED");
  });
});
