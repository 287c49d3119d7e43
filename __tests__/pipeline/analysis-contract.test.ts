import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { MAX_FILES_PER_SAMPLE, MAX_MANIFEST_BYTES, MAX_SAMPLES, UPLOADS_PREFIX } from "../../modules/pipeline/analysis-contract";
import { analysisDefinition } from "../../modules/pipeline/analysis-definition";
import { HISTORY_EVENT_LIMIT, worstCaseHistoryEvents } from "../../modules/pipeline/execution-history";
import { loadValidator } from "../helpers/analysis-run";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { PolicyJson, decision, withValues } from "../helpers/iam-simulation";
import { resourcesOf, synthesizedStacks } from "../helpers/synth";

// The published contract (docs/contracts/*.schema.json) and the validation function agree, on the limits and on
// which inputs they accept; the uploads bucket lets only the API write manifests.

const contracts = path.join(__dirname, "..", "..", "docs", "contracts");
const schema = (file: string) => JSON.parse(fs.readFileSync(path.join(contracts, file), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
const inputSchema = schema("analysis-input.schema.json");
const lineSchema = schema("analysis-manifest-line.schema.json");
const validInput = ajv.compile(inputSchema);
const validLine = ajv.compile(lineSchema);

const ID = "3f1c9a52-7d4e-4b8a-9c61-2e5f0a7b9d13";
const BUCKET = "proteomics-dev-uploads-111122223333";
const good = { analysisId: ID, tenantId: "acmelab01", manifest: { bucket: BUCKET, key: `manifests/acmelab01/${ID}/samples.jsonl` } };

type Validator = { inputProblem: (input: unknown, options: object) => string | undefined; manifestProblem: (text: string, limits: object) => { problem?: string; samples?: number } };

describe("analysis contract", () => {
  let validator: Validator;
  beforeAll(async () => {
    validator = (await loadValidator()) as unknown as Validator;
  });

  it("publishes valid JSON Schemas whose examples pass and whose limits are the code's", () => {
    for (const file of fs.readdirSync(contracts).filter((name) => name.endsWith(".schema.json"))) {
      const compiled = ajv.getSchema(schema(file).$id) ?? ajv.compile(schema(file));
      for (const example of schema(file).examples) expect([file, compiled(example) ? [] : compiled.errors]).toEqual([file, []]);
    }
    expect(lineSchema.properties.files.maximum).toBe(MAX_FILES_PER_SAMPLE);
    expect(lineSchema.description).toContain(`1 to ${MAX_SAMPLES} lines`);
    expect(lineSchema.description).toContain(`at most ${MAX_MANIFEST_BYTES / 1024} KiB`);
    expect(validInput(good)).toBe(true);
  });

  // Inputs the schema judges alone; the function must judge them the same way.
  const inputs: Array<[string, unknown]> = [
    ["valid", good],
    ["tenant with a hyphen", { ...good, tenantId: "acme-lab" }],
    ["tenant of 65 characters", { ...good, tenantId: "a".repeat(65) }],
    ["tenant with an accent", { ...good, tenantId: "acmé" }],
    ["empty tenant", { ...good, tenantId: "" }],
    ["uppercase UUID", { ...good, analysisId: ID.toUpperCase() }],
    ["numeric analysis id", { ...good, analysisId: 42 }],
    ["extra field", { ...good, priority: "high" }],
    ["inline samples", { ...good, samples: [] }],
    ["manifest missing", { analysisId: ID, tenantId: "acmelab01" }],
    ["manifest with an extra field", { ...good, manifest: { ...good.manifest, versionId: "v1" } }],
    ["not an object", ["a"]],
  ];

  it.each(inputs)("judges an input (%s) as the published schema does", (_case, input) => {
    const problem = validator.inputProblem(input, { manifestBucket: BUCKET });
    expect(problem === undefined).toBe(validInput(input));
  });

  it("checks what a schema cannot: the manifest's key and bucket follow from the other fields, the execution's name", () => {
    const otherTenantKey = { ...good, manifest: { ...good.manifest, key: `manifests/othertenant/${ID}/samples.jsonl` } };
    expect(validInput(otherTenantKey)).toBe(true);
    expect(validator.inputProblem(otherTenantKey, { manifestBucket: BUCKET })).toBe(`manifest.key must be manifests/acmelab01/${ID}/samples.jsonl`);
    expect(validator.inputProblem({ ...good, manifest: { ...good.manifest, bucket: "other-bucket" } }, { manifestBucket: BUCKET })).toBe(`manifest.bucket must be ${BUCKET}`);
    expect(validator.inputProblem(good, { manifestBucket: BUCKET, executionName: "x" })).toBe(`the execution must be named after the analysis (${ID}), not x`);
  });

  const lines: Array<[string, unknown]> = [
    ["valid", { sampleId: "plasma-01", files: 3 }],
    ["one file", { sampleId: "s", files: 1 }],
    ["largest", { sampleId: "s", files: MAX_FILES_PER_SAMPLE }],
    ["too many files", { sampleId: "s", files: MAX_FILES_PER_SAMPLE + 1 }],
    ["no file", { sampleId: "s", files: 0 }],
    ["fractional files", { sampleId: "s", files: 1.5 }],
    ["a file list", { sampleId: "s", files: ["a.mzML"] }],
    ["sample id with a slash", { sampleId: "a/b", files: 1 }],
    ["sample id starting with a hyphen", { sampleId: "-a", files: 1 }],
    ["extra field", { sampleId: "s", files: 1, note: "x" }],
  ];

  it.each(lines)("judges a manifest line (%s) as the published schema does", (_case, line) => {
    const { problem } = validator.manifestProblem(`${JSON.stringify(line)}\n`, { maxSamples: MAX_SAMPLES, maxFilesPerSample: MAX_FILES_PER_SAMPLE });
    expect(problem === undefined).toBe(validLine(line));
  });

  it("refuses a handler without its configuration, naming the missing setting", async () => {
    const { createHandler } = await loadValidator();
    expect(() => createHandler({ environment: { MANIFEST_BUCKET: BUCKET, MAX_SAMPLES: "1000", MAX_FILES_PER_SAMPLE: "10000" } })).toThrow(
      "validate-analysis-input: maxManifestBytes is not configured",
    );
  });

  it(`keeps every execution's worst-case history far below ${HISTORY_EVENT_LIMIT} events, whatever the analysis's size`, () => {
    const definition = analysisDefinition({
      validateInputFunctionArn: "arn:aws:lambda:sa-east-1:111122223333:function:f",
      bulkQueueArn: "q",
      interactiveQueueArn: "q",
      identifyJobArn: "j",
      aggregateJobArn: "j",
      publishMetricsJobArn: "j",
      maxConcurrentSamples: 10,
      timeoutSeconds: 3600,
    });
    const map = definition.States.ProcessSamples;
    if (map.Type !== "Map") throw new Error("ProcessSamples is a Map");
    const parent = worstCaseHistoryEvents(definition);
    const child = worstCaseHistoryEvents({ StartAt: map.ItemProcessor.StartAt, States: map.ItemProcessor.States });
    // Per state (see execution-history.ts): 2 for the execution, 2 per Pass or Choice (three check a sample), 6 for the Distributed Map, and a
    // Task's 2 plus 3 per attempt (4 with .sync), every retry used.
    const attempts = (state: string, states: typeof definition.States = definition.States) => {
      const task = states[state];
      return task.Type === "Task" ? 1 + (task.Retry ?? []).reduce((sum, retrier) => sum + (retrier.MaxAttempts ?? 3), 0) : 0;
    };
    expect(parent).toBe(2 + (2 + 3 * attempts("ValidateInput")) + 2 + 2 + 6 + (2 + 4 * attempts("PublishMetrics")));
    const sampleStates = map.ItemProcessor.States;
    expect(child).toBe(2 + 3 * 2 + (2 + 4 * attempts("IdentifyProteins", sampleStates)) + (2 + 4 * attempts("AggregateSample", sampleStates)));
    expect(Math.max(parent, child)).toBeLessThan(HISTORY_EVENT_LIMIT / 100);
    // An inline Map would put every sample's events in the parent: refused by the model (1,000 samples x the child's).
    const inline = { ...definition, States: { ...definition.States, ProcessSamples: { ...map, ItemProcessor: { ...map.ItemProcessor, ProcessorConfig: { Mode: "INLINE" as const } } } } };
    expect(() => worstCaseHistoryEvents(inline)).toThrow("an inline Map's history grows with its items");
    expect(MAX_SAMPLES * child).toBeGreaterThan(HISTORY_EVENT_LIMIT);
  });
});

describe.each(ENVIRONMENT_NAMES)("%s manifests", (name) => {
  const env = environment(name);
  const data = synthesizedStacks(name)[`${name}-data`];
  const [bucketId, bucket] = Object.entries(resourcesOf(data, "aws_s3_bucket")).find(([, candidate]) => candidate.bucket.includes("-uploads-"))!;
  const policy = Object.values(resourcesOf(data, "aws_s3_bucket_policy")).find((candidate) => candidate.bucket === `\${aws_s3_bucket.${bucketId}.id}`)!;
  const resourcePolicy = withValues(policy.policy, { [`aws_s3_bucket.${bucketId}`]: `arn:aws:s3:::${bucket.bucket}`, aws_kms_key: `arn:aws:kms:${env.region}:${env.awsAccountId}:key/k` });
  // The API writes manifests through its tenant sessions (modules/tenancy); its Pod Identity role has no data rights.
  const apiRole = `arn:aws:iam::${env.awsAccountId}:role/${env.project}-${env.name}-eks-api-tenant`;
  const jobRole = `arn:aws:iam::${env.awsAccountId}:role/${env.project}-${env.name}-identify-job`;
  const allowAll: PolicyJson = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] };
  const put = (principal: string, key: string, authType = "REST-HEADER") =>
    decision(
      { principal, action: "s3:PutObject", resource: `arn:aws:s3:::${bucket.bucket}/${key}`, resourceAccount: env.awsAccountId, context: { "s3:authType": authType, "aws:PrincipalArn": principal } },
      { identity: [allowAll], resource: resourcePolicy },
    );

  it("lets only the API's tenant role write manifests, and never through a presigned URL", async () => {
    expect(await put(apiRole, "manifests/acmelab01/x/samples.jsonl")).toBe("Allowed");
    expect(await put(jobRole, "manifests/acmelab01/x/samples.jsonl")).toBe("ExplicitlyDenied");
    expect(await put(`arn:aws:iam::${env.awsAccountId}:role/proteomics-platform-admin`, "manifests/acmelab01/x/samples.jsonl")).toBe("ExplicitlyDenied");
    expect(await put(apiRole, "manifests/acmelab01/x/samples.jsonl", "REST-QUERY-STRING")).toBe("ExplicitlyDenied");
    expect(await put(apiRole, "manifests/acmelab01/x/samples.jsonl", "POST")).toBe("ExplicitlyDenied");
    // Browsers upload protein files through presigned POSTs the API signs (presigned PUTs bound neither size nor type).
    expect(await put(apiRole, "uploads/acmelab01/x/plasma-01/P02768.mzML", "POST")).toBe("Allowed");
    expect(await put(apiRole, "uploads/acmelab01/x/plasma-01/P02768.mzML", "REST-QUERY-STRING")).toBe("ExplicitlyDenied");
  });
});

describe("contract examples", () => {
  const examples = path.join(contracts, "examples");
  const compiled = (file: string) => ajv.getSchema(schema(file).$id) ?? ajv.compile(schema(file));
  const jsonLines = (file: string) =>
    fs
      .readFileSync(path.join(examples, file), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line));

  it("are valid: the input, every manifest line, every sample manifest line, the status message", () => {
    const check = (schemaFile: string, value: unknown) => {
      const validate = compiled(schemaFile);
      expect([schemaFile, validate(value) ? [] : validate.errors]).toEqual([schemaFile, []]);
    };
    check("analysis-input.schema.json", JSON.parse(fs.readFileSync(path.join(examples, "analysis-input.json"), "utf8")));
    for (const line of jsonLines("samples.jsonl")) check("analysis-manifest-line.schema.json", line);
    for (const file of fs.readdirSync(path.join(examples, "samples"))) for (const line of jsonLines(`samples/${file}`)) check("sample-manifest-line.schema.json", line);
    check("analysis-status.schema.json", JSON.parse(fs.readFileSync(path.join(examples, "analysis-status-succeeded.json"), "utf8")));
  });

  it("agree with each other: one sample manifest per sample, as many lines as its files, keys under the tenant, analysis and sample", () => {
    const input = JSON.parse(fs.readFileSync(path.join(examples, "analysis-input.json"), "utf8"));
    const samples = jsonLines("samples.jsonl");
    expect(fs.readdirSync(path.join(examples, "samples")).sort()).toEqual(samples.map((sample) => `${sample.sampleId}.jsonl`).sort());
    for (const sample of samples) {
      const keys = jsonLines(`samples/${sample.sampleId}.jsonl`).map((line) => line.key);
      expect(keys).toHaveLength(sample.files);
      for (const key of keys) expect([key, key.startsWith(`${UPLOADS_PREFIX}${input.tenantId}/${input.analysisId}/${sample.sampleId}/`)]).toEqual([key, true]);
    }
  });
});
