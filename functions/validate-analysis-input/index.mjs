/**
 * First state of the analysis state machine: checks an execution's input and its sample manifest against the
 * contract published in docs/contracts/ (analysis-input.schema.json, analysis-manifest-line.schema.json) before any
 * compute starts, and pins the manifest's S3 object version so the Distributed Map reads exactly what was checked.
 *
 * Returns `{ valid: true, analysis: { analysisId, tenantId, samples, manifest: { bucket, key, versionId } } }` or
 * `{ valid: false, reason }`; throws only on errors that are not the caller's (S3 unavailable, access denied), which the
 * state machine retries or reports as they are.
 *
 * Configuration (environment): MANIFEST_BUCKET (the uploads bucket), MAX_SAMPLES, MAX_FILES_PER_SAMPLE,
 * MAX_MANIFEST_BYTES. No dependency beyond the AWS SDK of the Lambda runtime, loaded only when the handler runs on AWS.
 */

/**
 * A tenant: at most 63 lowercase letters and digits. It is a Batch share identifier (letters and digits), a segment of
 * S3 keys, a session tag value, and the warehouse user t<tenant> (Redshift folds user names to lowercase and allows
 * 64 characters): two tenants that differed only in case would share one warehouse user.
 */
export const TENANT_ID = /^[a-z0-9]{1,63}$/;
/** The analysis id is a UUID, also the execution's name and part of every Batch job name. */
export const ANALYSIS_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A sample id: a path segment of S3 keys and a Batch job environment value. */
export const SAMPLE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Where the API writes an analysis's manifest. */
export const manifestKey = (tenantId, analysisId) => `manifests/${tenantId}/${analysisId}/samples.jsonl`;

const INPUT_KEYS = ["analysisId", "tenantId", "manifest"];
const MANIFEST_KEYS = ["bucket", "key"];
const LINE_KEYS = ["sampleId", "files"];

const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
const unknownKeys = (value, allowed) => Object.keys(value).filter((key) => !allowed.includes(key));

/** Why `input` breaks the contract, or undefined when it keeps it. */
export function inputProblem(input, { executionName, manifestBucket }) {
  if (!isObject(input)) return "the input must be a JSON object";
  const extra = unknownKeys(input, INPUT_KEYS);
  if (extra.length) return `unknown field(s): ${extra.join(", ")}`;
  const { analysisId, tenantId, manifest } = input;
  if (typeof analysisId !== "string" || !ANALYSIS_ID.test(analysisId)) return "analysisId must be a lowercase UUID";
  if (typeof tenantId !== "string" || !TENANT_ID.test(tenantId)) return "tenantId must be 1 to 63 lowercase letters or digits (a Batch share identifier and a warehouse user)";
  if (executionName !== undefined && executionName !== analysisId) return `the execution must be named after the analysis (${analysisId}), not ${executionName}`;
  if (!isObject(manifest)) return "manifest must be an object { bucket, key }";
  const extraManifest = unknownKeys(manifest, MANIFEST_KEYS);
  if (extraManifest.length) return `unknown field(s) in manifest: ${extraManifest.join(", ")}`;
  if (manifest.bucket !== manifestBucket) return `manifest.bucket must be ${manifestBucket}`;
  const expectedKey = manifestKey(tenantId, analysisId);
  if (manifest.key !== expectedKey) return `manifest.key must be ${expectedKey}`;
  return undefined;
}

/** Why a manifest's text breaks the contract, or the number of samples it lists. */
export function manifestProblem(text, { maxSamples, maxFilesPerSample }) {
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  if (text.length === 0) return { problem: "the manifest lists no sample" };
  if (lines.length > maxSamples) return { problem: `the manifest lists ${lines.length} samples; an analysis holds at most ${maxSamples}` };
  const seen = new Set();
  for (const [index, line] of lines.entries()) {
    const at = `manifest line ${index + 1}`;
    let sample;
    try {
      sample = JSON.parse(line);
    } catch {
      return { problem: `${at} is not JSON` };
    }
    if (!isObject(sample)) return { problem: `${at} must be an object { sampleId, files }` };
    const extra = unknownKeys(sample, LINE_KEYS);
    if (extra.length) return { problem: `${at}: unknown field(s): ${extra.join(", ")}` };
    if (typeof sample.sampleId !== "string" || !SAMPLE_ID.test(sample.sampleId)) {
      return { problem: `${at}: sampleId must be 1 to 64 letters, digits, - or _, starting with a letter or digit` };
    }
    if (seen.has(sample.sampleId)) return { problem: `${at}: sample ${sample.sampleId} is listed twice` };
    seen.add(sample.sampleId);
    if (!Number.isInteger(sample.files) || sample.files < 1 || sample.files > maxFilesPerSample) {
      return { problem: `${at}: files must be an integer from 1 to ${maxFilesPerSample} (the protein files of sample ${sample.sampleId})` };
    }
  }
  return { samples: lines.length };
}

/** Reads an S3 object with the Lambda runtime's SDK: its text and version, or undefined when it does not exist. */
async function getObjectFromS3({ bucket, key, maxBytes }) {
  const { S3Client, GetObjectCommand, HeadObjectCommand } = await import("@aws-sdk/client-s3");
  const s3 = new S3Client({});
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    if (head.ContentLength > maxBytes) return { tooLarge: head.ContentLength };
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: head.VersionId }));
    // Without a version the Distributed Map could read a manifest other than the one checked here.
    if (!object.VersionId) throw new Error(`s3://${bucket} is not versioned: the manifest cannot be pinned`);
    return { text: await object.Body.transformToString("utf-8"), versionId: object.VersionId };
  } catch (error) {
    if (error?.name === "NotFound" || error?.name === "NoSuchKey") return undefined;
    throw error;
  }
}

/** The handler, with its S3 reader and configuration injectable (the tests run it against an in-memory bucket). */
export function createHandler({ getObject = getObjectFromS3, environment = process.env } = {}) {
  const config = {
    manifestBucket: environment.MANIFEST_BUCKET,
    maxSamples: Number(environment.MAX_SAMPLES),
    maxFilesPerSample: Number(environment.MAX_FILES_PER_SAMPLE),
    maxManifestBytes: Number(environment.MAX_MANIFEST_BYTES),
  };
  for (const [name, value] of Object.entries(config)) {
    if (value === undefined || Number.isNaN(value)) throw new Error(`validate-analysis-input: ${name} is not configured`);
  }
  return async (event) => {
    const input = event?.input;
    const problem = inputProblem(input, { executionName: event?.executionName, manifestBucket: config.manifestBucket });
    if (problem) return { valid: false, reason: problem };
    const object = await getObject({ bucket: input.manifest.bucket, key: input.manifest.key, maxBytes: config.maxManifestBytes });
    if (!object) return { valid: false, reason: `no manifest at s3://${input.manifest.bucket}/${input.manifest.key}` };
    if (object.tooLarge) return { valid: false, reason: `the manifest is ${object.tooLarge} bytes; at most ${config.maxManifestBytes}` };
    const { problem: manifestIssue, samples } = manifestProblem(object.text, config);
    if (manifestIssue) return { valid: false, reason: manifestIssue };
    return {
      valid: true,
      analysis: {
        analysisId: input.analysisId,
        tenantId: input.tenantId,
        samples,
        manifest: { bucket: input.manifest.bucket, key: input.manifest.key, versionId: object.versionId },
      },
    };
  };
}

let configured;
/** Lambda entry point. */
export const handler = (event) => (configured ??= createHandler())(event);
