import { GuardrailRule } from "../rule";
import { SynthesizedStack, isSet } from "../synthesized-stack";

const instances = (stack: SynthesizedStack) => stack.resources("aws_db_instance");

export const rdsEncrypted: GuardrailRule = {
  id: "rds-encrypted",
  requirement: "Every RDS instance encrypts its storage with a customer-managed KMS key.",
  rationale: "Analysis metrics are customer data; snapshots and replicas inherit the encryption.",
  check: (stack) =>
    instances(stack)
      .filter((db) => db.values.storage_encrypted !== true || !isSet(db.values.kms_key_id))
      .map((db) => ({ address: db.address, message: "set storage_encrypted = true and kms_key_id to a customer-managed key" })),
};

export const rdsNotPublic: GuardrailRule = {
  id: "rds-not-public",
  requirement: "Every RDS instance sets publicly_accessible = false.",
  rationale: "Databases are reached from inside the VPC only.",
  check: (stack) =>
    instances(stack)
      .filter((db) => db.values.publicly_accessible !== false)
      .map((db) => ({ address: db.address, message: "set publicly_accessible = false explicitly" })),
};

export const rdsIamAuthentication: GuardrailRule = {
  id: "rds-iam-auth",
  requirement: "Every RDS instance has IAM database authentication enabled.",
  rationale: "Workloads connect with short-lived IAM tokens instead of stored passwords.",
  check: (stack) =>
    instances(stack)
      .filter((db) => db.values.iam_database_authentication_enabled !== true)
      .map((db) => ({ address: db.address, message: "set iam_database_authentication_enabled = true" })),
};

export const rdsBackups: GuardrailRule = {
  id: "rds-backups",
  requirement: "Every RDS instance keeps automated backups (point-in-time recovery) for at least 7 days.",
  rationale: "A bad migration or deletion can be undone to any second of the last week.",
  check: (stack) =>
    instances(stack)
      .filter((db) => !(typeof db.values.backup_retention_period === "number" && db.values.backup_retention_period >= 7))
      .map((db) => ({ address: db.address, message: "set backup_retention_period to 7 days or more" })),
};

export const rdsLogExports: GuardrailRule = {
  id: "rds-log-exports",
  requirement: "Every RDS PostgreSQL instance exports its postgresql and upgrade logs to CloudWatch.",
  rationale: "Database logs must outlive the instance and be searchable with the rest of the platform's logs.",
  check: (stack) =>
    instances(stack)
      .filter((db) => {
        const exports = (db.values.enabled_cloudwatch_logs_exports ?? []) as unknown[];
        return !["postgresql", "upgrade"].every((log) => exports.includes(log));
      })
      .map((db) => ({ address: db.address, message: 'set enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]' })),
};

export const rdsDeletionProtection: GuardrailRule = {
  id: "rds-deletion-protection",
  requirement: "Every RDS instance has deletion protection when the environment requires it, and takes a final snapshot when it asks for one.",
  rationale: "A database is not lost to one mistaken destroy.",
  check: (stack, context) =>
    instances(stack).flatMap((db) => [
      ...(context.deletionProtectionRequired && db.values.deletion_protection !== true
        ? [{ address: db.address, message: "set deletion_protection = true (the environment requires it)" }]
        : []),
      ...(context.finalSnapshotRequired && (db.values.skip_final_snapshot === true || !isSet(db.values.final_snapshot_identifier))
        ? [{ address: db.address, message: "set skip_final_snapshot = false and a final_snapshot_identifier (the environment requires it)" }]
        : []),
    ]),
};
