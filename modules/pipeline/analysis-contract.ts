/**
 * The analysis's input contract and its limits, in one place: the state machine, the validation function's
 * configuration and the capacity model read them here; docs/contracts/*.schema.json publish them (a test keeps both
 * equal).
 */

/** Most samples one analysis may hold: lines of its manifest. */
export const MAX_SAMPLES = 1000;
/** Most protein files one sample may hold: Batch's largest array job (10,000 children). */
export const MAX_FILES_PER_SAMPLE = 10000;
/** Largest analysis manifest, bytes (1,000 lines of at most ~100 bytes each, with room to spare). */
export const MAX_MANIFEST_BYTES = 256 * 1024;

/*
 * The S3 key layout of customer data: tenant first after a purpose prefix, so one IAM pattern
 * (`<prefix>${aws:PrincipalTag/tenant}/*`, modules/tenancy) confines a tenant session to its own keys.
 *
 * - uploads bucket: `uploads/<tenant>/<analysisId>/<sampleId>/<protein file>` (browsers, through the API's presigned
 *   POSTs) and `manifests/<tenant>/<analysisId>/samples.jsonl` with `.../samples/<sampleId>.jsonl` (the API);
 * - work and results buckets: `analyses/<tenant>/<analysisId>/<sampleId>/...` (the jobs).
 */

/** Prefix of the uploads bucket where browsers upload protein files. */
export const UPLOADS_PREFIX = "uploads/";

/** Prefix of the uploads bucket where the API writes manifests; no one else may write there. */
export const MANIFEST_PREFIX = "manifests/";

/** Prefix of the work and results buckets where the jobs write. */
export const ANALYSIS_PREFIX = "analyses/";

/*
 * Browser uploads: a presigned POST the API signs with the tenant's session, whose policy bounds the key to
 * `uploads/<tenant>/<analysisId>/`, the size to `content-length-range 1..MAX_UPLOAD_BYTES` and the Content-Type to
 * one of UPLOAD_CONTENT_TYPES, and expires within PRESIGNED_MAX_AGE_SECONDS. The uploads bucket refuses presigned
 * PUTs (their size and type are unbounded) and any presigned request older than that age.
 */

/** Largest protein file a browser may upload, bytes: S3's limit for a POST upload (5 GiB). */
export const MAX_UPLOAD_BYTES = 5 * 1024 ** 3;
/**
 * Content types of protein files: vendor raw formats (binary), mzML and mzXML (XML), MGF (text), and compressed forms.
 */
export const UPLOAD_CONTENT_TYPES = ["application/octet-stream", "application/xml", "text/plain", "application/gzip", "application/zip"] as const;
/** Longest a presigned upload or download stays valid, seconds; the buckets refuse older signatures. */
export const PRESIGNED_MAX_AGE_SECONDS = 900;

/**
 * The sample manifest's key, as the States Language intrinsic the state machine evaluates for each sample:
 * `manifests/<tenantId>/<analysisId>/samples/<sampleId>.jsonl`.
 */
export const SAMPLE_MANIFEST_KEY_INTRINSIC = "States.Format('manifests/{}/{}/samples/{}.jsonl', $.tenantId, $.analysisId, $.sample.sampleId)";
