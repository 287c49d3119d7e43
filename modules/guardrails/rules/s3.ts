import { Finding, GuardrailRule } from "../rule";
import { CUSTOMER_DATA_CLASS, DATA_CLASS_TAG } from "../../storage/data-perimeter";
import { SynthesizedResource, SynthesizedStack, asList, blocks, isSet, parsePolicy, refersTo } from "../synthesized-stack";

/**
 * Checks that every bucket has a companion resource of `type` (one whose `bucket` refers to it) that satisfies
 * `compliant`; reports `remedy` for each bucket that has none.
 */
function everyBucketHas(type: string, compliant: (config: SynthesizedResource) => boolean, remedy: string) {
  return (stack: SynthesizedStack): Finding[] =>
    stack
      .resources("aws_s3_bucket")
      .filter((bucket) => !stack.referencing(type, "bucket", bucket).some(compliant))
      .map((bucket) => ({ address: bucket.address, message: remedy }));
}

const PUBLIC_ACCESS_FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

export const s3EncryptionKms: GuardrailRule = {
  id: "s3-sse-kms",
  requirement: "Every S3 bucket has default encryption SSE-KMS with a customer-managed key and the S3 bucket key on.",
  rationale: "Data at rest is encrypted with keys the company controls, audits and can revoke (DESIGN.md §6).",
  check: everyBucketHas(
    "aws_s3_bucket_server_side_encryption_configuration",
    (config) =>
      blocks(config.values.rule).some(
        (rule) =>
          rule.bucket_key_enabled === true &&
          blocks(rule.apply_server_side_encryption_by_default).some(
            (sse) => sse.sse_algorithm === "aws:kms" && isSet(sse.kms_master_key_id),
          ),
      ),
    "add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm aws:kms, a customer-managed kms_master_key_id and bucket_key_enabled",
  ),
};

export const s3PublicAccessBlock: GuardrailRule = {
  id: "s3-public-access-block",
  requirement: "Every S3 bucket has a public access block with all four flags true.",
  rationale: "No bucket of the platform is public; the block stops a later policy or ACL from making one public.",
  check: everyBucketHas(
    "aws_s3_bucket_public_access_block",
    (block) => PUBLIC_ACCESS_FLAGS.every((flag) => block.values[flag] === true),
    `add an aws_s3_bucket_public_access_block with ${PUBLIC_ACCESS_FLAGS.join(", ")} all true`,
  ),
};

export const s3Versioning: GuardrailRule = {
  id: "s3-versioning",
  requirement: "Every S3 bucket has versioning enabled.",
  rationale: "Versions let an overwritten or deleted object (a state file, an upload) be recovered.",
  check: everyBucketHas(
    "aws_s3_bucket_versioning",
    (versioning) => blocks(versioning.values.versioning_configuration).some((config) => config.status === "Enabled"),
    'add an aws_s3_bucket_versioning with versioning_configuration.status "Enabled"',
  ),
};

export const s3TlsOnly: GuardrailRule = {
  id: "s3-tls-only",
  requirement: "Every S3 bucket has a bucket policy that denies every request made without TLS (aws:SecureTransport false).",
  rationale: "Objects (raw uploads, results, state) never cross a network unencrypted.",
  check: everyBucketHas(
    "aws_s3_bucket_policy",
    (policy) =>
      (parsePolicy(policy.values.policy)?.Statement ?? []).some((statement) => {
        const condition = statement.Condition as Record<string, Record<string, unknown>> | undefined;
        return statement.Effect === "Deny" && statement.Principal === "*" && String(condition?.Bool?.["aws:SecureTransport"]) === "false";
      }),
    'add an aws_s3_bucket_policy with a Deny for Principal "*" when aws:SecureTransport is "false"',
  ),
};

export const s3AccessLogging: GuardrailRule = {
  id: "s3-access-logging",
  requirement: "Every S3 bucket sends server access logs to the environment's access log bucket.",
  rationale: "Who read or wrote which object is needed for audits (LGPD) and investigations.",
  check: everyBucketHas(
    "aws_s3_bucket_logging",
    (logging) => isSet(logging.values.target_bucket),
    "add an aws_s3_bucket_logging whose target_bucket is the access log bucket",
  ),
};

/** Whether a policy denies `action` to every principal but named ones (an aws:PrincipalArn or aws:PrincipalTag condition). */
function deniesAllButNamed(policyText: unknown, action: string): boolean {
  return (parsePolicy(policyText)?.Statement ?? []).some((statement) => {
    if (statement.Effect !== "Deny" || statement.Principal !== "*" || !asList(statement.Action).includes(action)) return false;
    const keys = Object.values((statement.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap((operator) => Object.keys(operator).map((key) => key.toLowerCase()));
    return keys.some((key) => key === "aws:principalarn" || key.startsWith("aws:principaltag/"));
  });
}

export const customerDataPerimeter: GuardrailRule = {
  id: "customer-data-perimeter",
  requirement: `Every bucket tagged ${DATA_CLASS_TAG}=${CUSTOMER_DATA_CLASS} has a bucket policy that denies s3:GetObject and s3:PutObject to every principal but named roles (aws:PrincipalArn or aws:PrincipalTag), and its default KMS key (when in the same stack) denies kms:Decrypt the same way.`,
  rationale:
    "IAM policies alone let any principal of the account with broad S3 and KMS rights (an administrator, a node role reached through ssm:SendCommand) read customer data; the perimeter in the bucket and key policies holds whatever IAM grants.",
  check: (stack) =>
    stack
      .resources("aws_s3_bucket")
      .filter((bucket) => (bucket.values.tags as Record<string, unknown> | undefined)?.[DATA_CLASS_TAG] === CUSTOMER_DATA_CLASS)
      .flatMap((bucket) => {
        const findings = [];
        const policies = stack.referencing("aws_s3_bucket_policy", "bucket", bucket);
        if (!["s3:GetObject", "s3:PutObject"].every((action) => policies.some((policy) => deniesAllButNamed(policy.values.policy, action)))) {
          findings.push({ address: bucket.address, message: "add the data perimeter to its bucket policy (SecureBucket customerData): deny object access to every role but the named ones" });
        }
        const keys = stack
          .referencing("aws_s3_bucket_server_side_encryption_configuration", "bucket", bucket)
          .flatMap((config) => blocks(config.values.rule).flatMap((rule) => blocks(rule.apply_server_side_encryption_by_default).map((sse) => sse.kms_master_key_id)))
          .flatMap((keyRef) => stack.resources("aws_kms_key").filter((key) => refersTo(keyRef, key)));
        for (const key of keys) {
          if (!deniesAllButNamed(key.values.policy, "kms:Decrypt")) {
            findings.push({ address: key.address, message: `add the data perimeter to the key policy of ${bucket.address}'s key (EncryptionKey usageRestrictedTo)` });
          }
        }
        return findings;
      }),
};
