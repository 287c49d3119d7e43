import type { EnvironmentConfig } from "../../environments";
import { STATEFUL_TYPES } from "../../modules/guardrails/rules/protection";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { StackJson, referenceTo, resourcesOf, synthesizedStacks } from "../helpers/synth";

/**
 * Protection audit: every stateful resource of every environment (what holds data that cannot be recreated) carries
 * the protection its environment requires, as configured in `env.protection` and the data settings.
 */

/** One of the resource types that hold data (the guardrail's list), each audited below. */
type StatefulType = (typeof STATEFUL_TYPES)[number];

/** Other types that hold data: none is used; adding one needs an audit rule here first. */
const UNAUDITED_STATEFUL_TYPES = [
  "aws_ebs_volume",
  "aws_docdb_cluster",
  "aws_neptune_cluster",
  "aws_elasticache_replication_group",
  "aws_elasticache_cluster",
  "aws_opensearch_domain",
  "aws_fsx_lustre_file_system",
  "aws_fsx_ontap_file_system",
  "aws_backup_vault",
  "aws_kinesis_stream",
  "aws_timestreamwrite_table",
  "aws_glacier_vault",
];

/** One stateful resource: its stack, address and configuration. */
interface Stateful {
  readonly stack: string;
  readonly type: StatefulType;
  readonly id: string;
  readonly resource: StackJson;
}

/** Terraform JSON writes a nested block as an object or a one-element list; either way, its first block. */
const block = (value: unknown): StackJson | undefined => (Array.isArray(value) ? value[0] : (value as StackJson | undefined));
const isSet = (value: unknown) => typeof value === "string" && value.length > 0;

function inventory(stacks: Record<string, StackJson>): Stateful[] {
  return Object.entries(stacks).flatMap(([stack, json]) =>
    STATEFUL_TYPES.flatMap((type) => Object.entries(resourcesOf(json, type)).map(([id, resource]) => ({ stack, type, id, resource }))),
  );
}

/** What is missing from one stateful resource, given its environment; empty when it is fully protected. */
function missingProtections(env: EnvironmentConfig, stacks: Record<string, StackJson>, item: Stateful): string[] {
  const { resource: r } = item;
  const { protection } = env;
  const missing: string[] = [];
  const need = (ok: boolean, what: string) => ok || missing.push(what);
  // The state stack protects its bucket, lock table and key whatever the environment says: losing them loses every stack's state.
  const isStateStack = item.stack === `${env.name}-state`;

  if (isStateStack || protection.preventDestroy) {
    const why = isStateStack ? "in the state stack" : "by env.protection.preventDestroy";
    need(r.lifecycle?.prevent_destroy === true, `lifecycle.prevent_destroy is ${r.lifecycle?.prevent_destroy} (required ${why})`);
  }
  const finalSnapshot = () => {
    if (!protection.finalSnapshot) return;
    need(r.skip_final_snapshot === false, `skip_final_snapshot is ${r.skip_final_snapshot} (a final snapshot is required)`);
    need(isSet(r.final_snapshot_identifier), "no final_snapshot_identifier (a final snapshot is required)");
  };

  switch (item.type) {
    case "aws_db_instance": {
      const { postgres } = env.data;
      need(r.deletion_protection === protection.deletionProtection, `deletion_protection is ${r.deletion_protection}, expected ${protection.deletionProtection}`);
      finalSnapshot();
      need(r.backup_retention_period >= 7, `backup_retention_period is ${r.backup_retention_period} (at least 7 days)`);
      need(
        r.backup_retention_period === postgres.backupRetentionDays,
        `backup_retention_period is ${r.backup_retention_period}, configured ${postgres.backupRetentionDays}`,
      );
      need(r.multi_az === postgres.multiAz, `multi_az is ${r.multi_az}, configured ${postgres.multiAz}`);
      need(r.storage_encrypted === true && isSet(r.kms_key_id), "storage is not encrypted with a customer-managed key");
      break;
    }
    case "aws_rds_cluster":
      need(r.deletion_protection === protection.deletionProtection, `deletion_protection is ${r.deletion_protection}, expected ${protection.deletionProtection}`);
      finalSnapshot();
      need(r.backup_retention_period >= 7, `backup_retention_period is ${r.backup_retention_period} (at least 7 days)`);
      need(r.storage_encrypted === true, "storage is not encrypted");
      break;
    case "aws_redshift_cluster": {
      const { redshift } = env.data;
      finalSnapshot();
      need(r.automated_snapshot_retention_period >= 1, `automated_snapshot_retention_period is ${r.automated_snapshot_retention_period} (at least 1 day)`);
      need(
        r.automated_snapshot_retention_period === redshift.snapshotRetentionDays,
        `automated_snapshot_retention_period is ${r.automated_snapshot_retention_period}, configured ${redshift.snapshotRetentionDays}`,
      );
      // The provider's `encrypted` is a string attribute.
      need(String(r.encrypted) === "true" && isSet(r.kms_key_id), "not encrypted with a customer-managed key");
      break;
    }
    case "aws_dynamodb_table":
      need(block(r.point_in_time_recovery)?.enabled === true, "point-in-time recovery is not enabled");
      if (isStateStack || protection.deletionProtection) {
        need(r.deletion_protection_enabled === true, `deletion_protection_enabled is ${r.deletion_protection_enabled} (required)`);
      }
      need(block(r.server_side_encryption)?.enabled === true, "server-side encryption with a customer-managed key is not enabled");
      break;
    case "aws_s3_bucket": {
      const versioning = Object.values(resourcesOf(stacks[item.stack], "aws_s3_bucket_versioning")).filter(
        (v) => String(v.bucket).startsWith(referenceTo("aws_s3_bucket", item.id)) || (isSet(r.bucket) && v.bucket === r.bucket),
      );
      need(versioning.length === 1, `${versioning.length} aws_s3_bucket_versioning for it (expected 1)`);
      for (const v of versioning) {
        need(block(v.versioning_configuration)?.status === "Enabled", `versioning status is ${block(v.versioning_configuration)?.status}, not Enabled`);
      }
      need(r.force_destroy !== true, "force_destroy is true (a destroy would empty it)");
      break;
    }
    case "aws_kms_key":
      need(r.enable_key_rotation === true, "key rotation is not enabled");
      need(r.deletion_window_in_days >= 7, `deletion_window_in_days is ${r.deletion_window_in_days} (at least 7)`);
      if (env.tier === "production") need(r.deletion_window_in_days === 30, `deletion_window_in_days is ${r.deletion_window_in_days} (30 in production)`);
      break;
    case "aws_ecr_repository":
      need(r.force_delete !== true, "force_delete is true (a destroy would delete its images)");
      need(r.image_tag_mutability === "IMMUTABLE", `image_tag_mutability is ${r.image_tag_mutability} (a release tag could be overwritten)`);
      break;
    case "aws_efs_file_system":
      need(r.encrypted === true, "not encrypted");
      break;
    case "aws_secretsmanager_secret":
      // 0 deletes at once, with no recovery.
      need(r.recovery_window_in_days >= 7, `recovery_window_in_days is ${r.recovery_window_in_days} (at least 7)`);
      break;
  }
  return missing.map((what) => `${item.stack} ${item.type}.${item.id}: ${what}`);
}

const audits = ENVIRONMENT_NAMES.map((name) => {
  const env = environment(name);
  const stacks = synthesizedStacks(name);
  const items = inventory(stacks);
  return { name, env, stacks, items, problems: items.flatMap((item) => missingProtections(env, stacks, item)) };
});

describe.each(audits)("$name protection audit", ({ name, env, stacks, items, problems }) => {
  const namesOf = (type: StatefulType) =>
    items
      .filter((item) => item.type === type)
      .map((item) => `${item.stack} ${item.resource.bucket ?? item.resource.name ?? item.resource.identifier ?? item.resource.cluster_identifier ?? item.id}`);

  it("inventories the state bucket, lock table and key, the data buckets, RDS, Redshift and ECR", () => {
    const prefix = `${env.project}-${name}`;
    expect(namesOf("aws_s3_bucket")).toEqual(
      expect.arrayContaining([
        `${name}-state ${env.state.bucketName}`,
        ...["uploads", "results", "work"].map((purpose) => `${name}-data ${prefix}-${purpose}-${env.awsAccountId}`),
      ]),
    );
    expect(namesOf("aws_dynamodb_table")).toEqual([`${name}-state ${prefix}-terraform-locks`]);
    expect(namesOf("aws_db_instance")).toEqual([`${name}-data ${prefix}-metrics`]);
    expect(namesOf("aws_redshift_cluster")).toEqual([`${name}-data ${prefix}-analytics`]);
    expect(namesOf("aws_ecr_repository").length).toBeGreaterThan(0);
    expect(items.filter((item) => item.type === "aws_kms_key").map((item) => item.stack)).toEqual(expect.arrayContaining([`${name}-state`, `${name}-data`]));
  });

  it("uses no stateful resource type the audit does not cover", () => {
    const unaudited = Object.entries(stacks).flatMap(([stack, json]) =>
      Object.keys(json.resource ?? {})
        .filter((type) => UNAUDITED_STATEFUL_TYPES.includes(type))
        .map((type) => `${stack} ${type}`),
    );
    expect(unaudited).toEqual([]);
  });

  it(`protects every stateful resource as ${name} requires (${JSON.stringify(env.protection)})`, () => {
    expect(problems).toEqual([]);
  });
});

describe("protection checker", () => {
  const env = environment(ENVIRONMENT_NAMES.find((name) => environment(name).tier === "production")!);

  it("reports each missing protection of an unprotected resource, one line each", () => {
    const stacks: Record<string, StackJson> = {
      "x-data": {
        resource: {
          aws_s3_bucket: { b: { bucket: "b", force_destroy: true } },
          aws_db_instance: { db: { deletion_protection: false, skip_final_snapshot: true, backup_retention_period: 1, multi_az: !env.data.postgres.multiAz } },
        },
      },
    };
    const problems = inventory(stacks).flatMap((item) => missingProtections(env, stacks, item));
    expect(problems).toEqual([
      "x-data aws_s3_bucket.b: lifecycle.prevent_destroy is undefined (required by env.protection.preventDestroy)",
      "x-data aws_s3_bucket.b: 0 aws_s3_bucket_versioning for it (expected 1)",
      "x-data aws_s3_bucket.b: force_destroy is true (a destroy would empty it)",
      "x-data aws_db_instance.db: lifecycle.prevent_destroy is undefined (required by env.protection.preventDestroy)",
      `x-data aws_db_instance.db: deletion_protection is false, expected ${env.protection.deletionProtection}`,
      "x-data aws_db_instance.db: skip_final_snapshot is true (a final snapshot is required)",
      "x-data aws_db_instance.db: no final_snapshot_identifier (a final snapshot is required)",
      "x-data aws_db_instance.db: backup_retention_period is 1 (at least 7 days)",
      `x-data aws_db_instance.db: backup_retention_period is 1, configured ${env.data.postgres.backupRetentionDays}`,
      `x-data aws_db_instance.db: multi_az is ${!env.data.postgres.multiAz}, configured ${env.data.postgres.multiAz}`,
      "x-data aws_db_instance.db: storage is not encrypted with a customer-managed key",
    ]);
  });
});
