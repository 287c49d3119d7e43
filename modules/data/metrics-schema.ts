import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Where the data contract lives as files: the metrics database's migrations (plain SQL, applied in file-name order by
 * `migrate.sh` with psql) and the warehouse's dashboard views (the SELECT of each materialized view, over the
 * zero-ETL database). See docs/architecture.md, "The metrics contract".
 */

/** The metrics database's migrations and their runner. */
export const METRICS_MIGRATIONS_DIR = path.join(__dirname, "..", "..", "migrations", "metrics");

/** The runner: psql, one file at a time, recorded in public.schema_migrations. */
export const MIGRATION_RUNNER = "migrate.sh";

/** The database zero-ETL creates in the warehouse from the integration (the views read `<it>.public.<table>`). */
export const ZERO_ETL_DATABASE = "metrics_zeroetl";

/** The dashboard's materialized views, one SELECT per file (`dashboard.<file name>`). */
export const DASHBOARD_VIEWS_DIR = path.join(__dirname, "..", "..", "warehouse", "dashboard");

/** The migration files, in the order they are applied. */
export function metricsMigrations(): string[] {
  return fs
    .readdirSync(METRICS_MIGRATIONS_DIR)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort();
}

/** The dashboard views: name and SELECT, in file-name order. */
export function dashboardViews(): { readonly name: string; readonly select: string }[] {
  return fs
    .readdirSync(DASHBOARD_VIEWS_DIR)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((file) => ({ name: file.replace(/\.sql$/, ""), select: fs.readFileSync(path.join(DASHBOARD_VIEWS_DIR, file), "utf8").trim() }));
}

/**
 * PostgreSQL types zero-ETL replicates to Redshift (as `format_type` prints them): the numeric, boolean, character,
 * date and time types, and uuid (to VARCHAR(36)). Source: Amazon RDS User Guide, "Data type differences between RDS
 * and Amazon Redshift databases" (zero-ETL integrations). A table with another type is refused by the tests.
 */
export const ZERO_ETL_TYPES = [
  "smallint",
  "integer",
  "bigint",
  "numeric",
  "real",
  "double precision",
  "boolean",
  "character",
  "character varying",
  "text",
  "date",
  "timestamp without time zone",
  "timestamp with time zone",
  "uuid",
] as const;
