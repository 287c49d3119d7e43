import { GuardrailRule } from "../rule";
import { blocks, isSet } from "../synthesized-stack";

/** Resource types that hold what cannot be recreated: data, keys that decrypt it, images, secrets. */
export const STATEFUL_TYPES = [
  "aws_s3_bucket",
  "aws_dynamodb_table",
  "aws_kms_key",
  "aws_db_instance",
  "aws_rds_cluster",
  "aws_redshift_cluster",
  "aws_ecr_repository",
  "aws_efs_file_system",
  "aws_secretsmanager_secret",
] as const;

export const statefulPreventDestroy: GuardrailRule = {
  id: "stateful-prevent-destroy",
  requirement: `Where the environment asks for it (and always in the state stack), every stateful resource (${STATEFUL_TYPES.join(", ")}) has lifecycle.prevent_destroy.`,
  rationale: "A plan that would destroy data, or the key that decrypts it, fails before anyone can apply it; removing the protection is a reviewed change.",
  check: (stack, context) =>
    context.preventDestroyRequired
      ? STATEFUL_TYPES.flatMap((type) => stack.resources(type))
          .filter((resource) => !blocks(resource.values.lifecycle).some((lifecycle) => lifecycle.prevent_destroy === true))
          .map((resource) => ({ address: resource.address, message: "set lifecycle { prevent_destroy = true } (the environment requires it)" }))
      : [],
};

export const dynamodbDeletionProtection: GuardrailRule = {
  id: "dynamodb-deletion-protection",
  requirement: "Where the environment asks for it, every DynamoDB table has deletion protection on.",
  rationale: "The lock table guards every apply of the environment; deleting it by hand must be refused too, not only through Terraform.",
  check: (stack, context) =>
    context.deletionProtectionRequired
      ? stack
          .resources("aws_dynamodb_table")
          .filter((table) => table.values.deletion_protection_enabled !== true)
          .map((table) => ({ address: table.address, message: "set deletion_protection_enabled = true (the environment requires it)" }))
      : [],
};

export const redshiftSnapshots: GuardrailRule = {
  id: "redshift-snapshots",
  requirement: "Every Redshift cluster keeps automated snapshots, and takes a final snapshot when deleted where the environment asks for it.",
  rationale: "The warehouse can be restored after a bad load or a deletion; its zero-ETL copy can be rebuilt, its own tables and views cannot.",
  check: (stack, context) =>
    stack.resources("aws_redshift_cluster").flatMap((cluster) => {
      const problems = [
        !(Number(cluster.values.automated_snapshot_retention_period) >= 1) && "automated_snapshot_retention_period >= 1",
        context.finalSnapshotRequired &&
          (cluster.values.skip_final_snapshot !== false || !isSet(cluster.values.final_snapshot_identifier)) &&
          "skip_final_snapshot = false and a final_snapshot_identifier (the environment requires it)",
      ].filter((problem): problem is string => typeof problem === "string");
      return problems.length ? [{ address: cluster.address, message: `set ${problems.join(", ")}` }] : [];
    }),
};

export const rdsMultiAz: GuardrailRule = {
  id: "rds-multi-az",
  requirement: "In production, every RDS instance runs Multi-AZ.",
  rationale: "Losing an availability zone must not stop the analyses' metrics nor the dashboard's replication.",
  check: (stack, context) =>
    context.multiAzRequired
      ? stack
          .resources("aws_db_instance")
          .filter((db) => db.values.multi_az !== true)
          .map((db) => ({ address: db.address, message: "set multi_az = true (production)" }))
      : [],
};
