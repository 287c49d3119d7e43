import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { METRICS_MIGRATIONS_DIR, MIGRATION_RUNNER, ZERO_ETL_DATABASE, ZERO_ETL_TYPES, dashboardViews, metricsMigrations } from "../../modules/data/metrics-schema";
import { TENANT_TABLES, tenantErasureSql } from "../../modules/data/tenant-erasure";
import { ENVIRONMENTS } from "../helpers/environments";
import { LocalPostgres, startPostgres } from "../helpers/postgres";

// The metrics database's migrations, applied by their runner (psql) to a real PostgreSQL server started for this file,
// prepared as RDS prepares an instance: the master user (CREATEROLE, CREATEDB, not a superuser), the rds_iam role, and
// the metrics database owned by the master.

const [{ masterUsername: MASTER, databaseName: METRICS, iamDatabaseUsers }] = ENVIRONMENTS.map((env) => env.data.postgres);
const STATUS_SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "docs", "contracts", "analysis-status.schema.json"), "utf8"));

let pg: LocalPostgres;
const sql = (statement: string, user = MASTER, database = METRICS) => pg.psql(statement, user, database);
const value = (statement: string, user = MASTER, database = METRICS) => {
  const result = sql(statement, user, database);
  if (!result.ok) throw new Error(result.stderr);
  return result.stdout;
};
/** Runs a copy of the migrations (or the committed ones) as the master user. */
const migrate = (dir = METRICS_MIGRATIONS_DIR) => {
  const result = spawnSync("sh", [path.join(dir, MIGRATION_RUNNER)], { env: pg.env(MASTER, METRICS), encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};
/** A copy of the migrations directory, to change without touching the repository. */
const copyOfMigrations = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-"));
  fs.cpSync(METRICS_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
};
const applied = () => value("SELECT string_agg(version || ' ' || checksum, ',' ORDER BY version) FROM public.schema_migrations").split(",");
const checksumOf = (file: string) => createHash("sha256").update(fs.readFileSync(path.join(METRICS_MIGRATIONS_DIR, file))).digest("hex");

beforeAll(() => {
  pg = startPostgres();
  for (const statement of [
    "CREATE ROLE rds_iam NOLOGIN",
    `CREATE ROLE ${MASTER} LOGIN CREATEROLE CREATEDB`,
    `CREATE DATABASE ${METRICS} OWNER ${MASTER}`,
    "CREATE ROLE outsider LOGIN",
  ]) {
    const result = pg.psql(statement, "postgres", "postgres");
    if (!result.ok) throw new Error(result.stderr);
  }
});
afterAll(() => pg?.stop());

describe("the metrics database's migrations", () => {
  it("are numbered SQL files, applied from an empty database in file-name order, each recorded with its checksum", () => {
    const files = metricsMigrations();
    expect(files.length).toBeGreaterThanOrEqual(3);
    const run = migrate();
    expect([run.status, run.stderr]).toEqual([0, ""]);
    expect(run.stdout).toContain(`migrate: ${files.length} applied, the database is up to date`);
    expect(applied()).toEqual(files.map((file) => `${file.replace(/\.sql$/, "")} ${checksumOf(file)}`));
  });

  it("apply nothing the second time", () => {
    const before = value("SELECT string_agg(version || applied_at, ',' ORDER BY version) FROM public.schema_migrations");
    const run = migrate();
    expect([run.status, run.stdout.trim()]).toEqual([0, "migrate: 0 applied, the database is up to date"]);
    expect(value("SELECT string_agg(version || applied_at, ',' ORDER BY version) FROM public.schema_migrations")).toBe(before);
  });

  it("refuse an applied migration that changed, and run nothing", () => {
    const dir = copyOfMigrations();
    const [first] = metricsMigrations();
    fs.appendFileSync(path.join(dir, first), "\n-- edited after it was applied\n");
    fs.writeFileSync(path.join(dir, "9998_would_run.sql"), "CREATE TABLE would_run (id integer PRIMARY KEY);\n");
    const run = migrate(dir);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`migrate: ${first.replace(/\.sql$/, "")} was applied with checksum ${checksumOf(first)} and has changed since`);
    expect(value("SELECT to_regclass('public.would_run') IS NULL")).toBe("t");
  });

  it("stop at a failing migration with PostgreSQL's message, and keep nothing of it", () => {
    const dir = copyOfMigrations();
    fs.writeFileSync(path.join(dir, "9999_broken.sql"), "CREATE TABLE half_done (id integer PRIMARY KEY);\nSELECT * FROM missing_table;\n");
    const run = migrate(dir);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('relation "missing_table" does not exist');
    expect(value("SELECT to_regclass('public.half_done') IS NULL")).toBe("t");
    expect(applied().some((entry) => entry.startsWith("9999_broken"))).toBe(false);
  });
});

describe("the schema the migrations leave", () => {
  it("gives every table of the metrics database (all zero-ETL replicates) a primary key and only types zero-ETL replicates", () => {
    const tables = value(
      "SELECT string_agg(c.relname || ':' || EXISTS (SELECT FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p'), ',' ORDER BY c.relname) " +
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')",
    ).split(",");
    expect(tables).toEqual(["analyses:true", "protein_metrics:true", "schema_migrations:true"]);
    const types = value(
      "SELECT string_agg(DISTINCT format_type(a.atttypid, NULL), ',') FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace " +
        "WHERE c.relkind = 'r' AND n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped",
    ).split(",");
    expect(types.filter((type) => !(ZERO_ETL_TYPES as readonly string[]).includes(type))).toEqual([]);
  });

  it("keeps Django's webapp database, owned by frontend, outside the zero-ETL filter (include: <metrics database>.*.*)", () => {
    expect(value("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'webapp'")).toBe("frontend");
    expect(METRICS).not.toBe("webapp");
    expect(sql("CREATE TABLE django_session (session_key text PRIMARY KEY)", "frontend", "webapp").ok).toBe(true);
  });

  it("creates exactly the IAM database users every environment's proxy admits, members of rds_iam, without a password", () => {
    for (const env of ENVIRONMENTS) expect(env.data.postgres.iamDatabaseUsers).toEqual(iamDatabaseUsers);
    const users = value("SELECT string_agg(r.rolname, ',' ORDER BY r.rolname) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member WHERE m.roleid = 'rds_iam'::regrole");
    expect(users.split(",")).toEqual([...iamDatabaseUsers].sort());
    expect(pg.psql("SELECT count(*) FROM pg_authid WHERE rolname IN ('api', 'metrics_writer', 'frontend') AND rolpassword IS NOT NULL", "postgres", "postgres").stdout).toBe("0");
  });

  it("is the contract docs/architecture.md documents: every column of every metrics table, with its type", () => {
    const documented = fs
      .readFileSync(path.join(__dirname, "..", "..", "docs", "architecture.md"), "utf8")
      .split("\n")
      .map((line) => line.match(/^\| `(\w+)` \| `(\w+)` \| ([a-z ]+) \|/))
      .filter((match) => match !== null)
      .map((match) => `${match![1]}.${match![2]} ${match![3]}`);
    const columns = value(
      "SELECT string_agg(c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, NULL), ',' ORDER BY c.relname, a.attnum) FROM pg_attribute a " +
        "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace " +
        "WHERE c.relkind = 'r' AND n.nspname = 'public' AND c.relname <> 'schema_migrations' AND a.attnum > 0 AND NOT a.attisdropped",
    ).split(",");
    expect(documented).toEqual(columns);
  });

  it("accepts exactly the analysis statuses of the status contract, and RUNNING while it runs", () => {
    const check = value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'analyses'::regclass AND pg_get_constraintdef(oid) LIKE '%status%'");
    const allowed = [...check.matchAll(/'([A-Z_]+)'/g)].map((match) => match[1]);
    expect(allowed).toEqual(["RUNNING", ...STATUS_SCHEMA.properties.detail.properties.status.enum]);
  });
});

describe("what each database user may do", () => {
  const analysis = "0a6f1c3e-5b7d-4e2a-9c8b-1d2e3f4a5b6c";
  const insertAnalysis = (id: string) => `INSERT INTO analyses VALUES ('${id}', 'tenant01', 'RUNNING', now(), NULL)`;
  const insertMetric = (sample: string) => `INSERT INTO protein_metrics VALUES ('${analysis}', 'tenant01', '${sample}', 'P1.mzML', 'P69905', 12, 40, 1.5e6, 0.001, now())`;

  it.each<[string, string, string, boolean, string]>([
    ["metrics_writer records an analysis", "metrics_writer", insertAnalysis(analysis), true, ""],
    ["metrics_writer writes its metrics", "metrics_writer", insertMetric("S1"), true, ""],
    ["metrics_writer updates an analysis's status", "metrics_writer", `UPDATE analyses SET status = 'SUCCEEDED', finished_at = now() WHERE analysis_id = '${analysis}'`, true, ""],
    ["api starts an analysis", "api", insertAnalysis("1b7f2d4e-6c8e-4f3b-8d9c-2e3f4a5b6c7d"), true, ""],
    ["api reads metrics", "api", "SELECT count(*) FROM protein_metrics", true, ""],
    ["api cannot write metrics", "api", insertMetric("S2"), false, "permission denied for table protein_metrics"],
    ["nobody deletes metrics", "metrics_writer", "DELETE FROM protein_metrics", false, "permission denied for table protein_metrics"],
    ["api creates no table", "api", "CREATE TABLE scratch (id integer)", false, "permission denied for schema public"],
    ["a status outside the contract is refused", "metrics_writer", `UPDATE analyses SET status = 'DONE' WHERE analysis_id = '${analysis}'`, false, "violates check constraint"],
  ])("%s", (_case, user, statement, allowed, message) => {
    const result = sql(statement, user);
    expect([result.ok, result.stderr]).toEqual([allowed, allowed ? "" : expect.stringContaining(message)]);
  });

  it.each([
    ["frontend", METRICS],
    ["outsider", METRICS],
    ["outsider", "webapp"],
    ["api", "webapp"],
  ])("%s cannot connect to %s", (user, database) => {
    const result = sql("SELECT 1", user, database);
    expect(result.ok).toBe(false);
    expect(result.stderr).toContain(`permission denied for database "${database}"`);
  });
});

describe("the dashboard's views over a realistic batch", () => {
  // 3 analyses x 4 samples x 5 files x 120 proteins = 7,200 rows, written as the publish-metrics job writes them.
  const analyses = ["2c8a3e5f-7d9f-4a4c-9e0d-3f4a5b6c7d8e", "3d9b4f6a-8e0a-4b5d-8f1e-4a5b6c7d8e9f", "4e0c5a7b-9f1b-4c6e-9a2f-5b6c7d8e9f0a"];
  const views = Object.fromEntries(dashboardViews().map((view) => [view.name, view.select.replaceAll(`${ZERO_ETL_DATABASE}.public.`, "public.")]));

  beforeAll(() => {
    for (const [index, id] of analyses.entries()) {
      value(`INSERT INTO analyses VALUES ('${id}', 'tenant${index % 2}', '${index === 2 ? "FAILED" : "SUCCEEDED"}', '2026-11-2${index}T10:00:00Z', '2026-11-2${index}T11:00:00Z')`, "metrics_writer");
    }
    value(
      `INSERT INTO protein_metrics
       SELECT a.id::uuid, 'tenant' || (a.n - 1) % 2, 'S' || s, 'F' || f || '.mzML', 'P' || p, p % 7 + 1, p % 11 + 2, p * 1000.0, (p % 50) / 1000.0, '2026-11-29T12:00:00Z'
       FROM unnest(ARRAY['${analyses.join("','")}']) WITH ORDINALITY AS a(id, n), generate_series(1, 4) s, generate_series(1, 5) f, generate_series(1, 120) p`,
      "metrics_writer",
    );
  });

  it("wrote the batch", () => {
    expect(value(`SELECT count(*) FROM protein_metrics WHERE analysis_id IN ('${analyses.join("','")}')`, "api")).toBe("7200");
  });

  it("sample_summary: one row per sample, with its proteins, peptides, spectra and mean q-value", () => {
    const rows = value(`SELECT string_agg(concat_ws(' ', proteins_identified, peptides, spectra, round(mean_q_value::numeric, 6)), ',') FROM (${views.sample_summary}) v WHERE analysis_id = '${analyses[0]}'`, "api").split(",");
    const proteins = Array.from({ length: 120 }, (_, index) => index + 1);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const peptides = 5 * sum(proteins.map((p) => (p % 7) + 1));
    const spectra = 5 * sum(proteins.map((p) => (p % 11) + 2));
    const meanQ = sum(proteins.map((p) => (p % 50) / 1000)) / proteins.length;
    expect(rows).toEqual(Array(4).fill(`120 ${peptides} ${spectra} ${meanQ.toFixed(6)}`));
  });

  it("tenant_activity: analyses and successes per tenant and day", () => {
    const rows = value(`SELECT string_agg(concat_ws(' ', tenant_id, to_char(day, 'YYYY-MM-DD'), analyses, succeeded), ',' ORDER BY tenant_id, day) FROM (${views.tenant_activity}) v WHERE tenant_id IN ('tenant0', 'tenant1')`, "api");
    expect(rows.split(",")).toEqual(["tenant0 2026-11-20 1 1", "tenant0 2026-11-22 1 0", "tenant1 2026-11-21 1 1"]);
  });
});

describe("the tenant erasure's SQL (modules/data/tenant-erasure.ts), run as the master user after the migrations", () => {
  it("covers every table that has a tenant_id column, children before parents", () => {
    const tables = value("SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id'").split(",");
    expect([...TENANT_TABLES].sort()).toEqual(tables);
  });

  it("deletes one tenant's rows from every table in one transaction, and leaves every other tenant's", () => {
    const count = (tenant: string) => TENANT_TABLES.map((table) => `${table}=${value(`SELECT count(*) FROM ${table} WHERE tenant_id = '${tenant}'`)}`).join(" ");
    const before = count("tenant1");
    expect(count("tenant0")).not.toBe(TENANT_TABLES.map((table) => `${table}=0`).join(" "));
    const result = sql(tenantErasureSql("tenant0"));
    expect([result.ok, result.stderr]).toEqual([true, ""]);
    expect(count("tenant0")).toBe(TENANT_TABLES.map((table) => `${table}=0`).join(" "));
    expect(count("tenant1")).toBe(before);
  });
});
