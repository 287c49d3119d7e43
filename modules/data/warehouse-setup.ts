import * as path from "node:path";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaInvocation } from "@cdktf/provider-aws/lib/lambda-invocation";
import { AssetType, ITerraformDependable, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { packageFunction } from "../functions/function-package";
import { IamRole, serviceTrust } from "../iam/iam-role";
import { EncryptionKey } from "../kms/kms-key";
import { LogGroup } from "../logging/log-group";
import { AnalyticsWarehouse } from "./analytics-warehouse";
import { DASHBOARD_SCHEMA, DASHBOARD_TENANTS_GROUP, REFRESH_PROCEDURE, TENANT_ROWS_POLICY, TENANT_ROWS_PREDICATE } from "./dashboard-names";
import { ZERO_ETL_DATABASE, dashboardViews } from "./metrics-schema";

/** The function's code: plain JavaScript with no dependency beyond the runtime's AWS SDK. */
export const WAREHOUSE_SETUP_SOURCE = path.join(__dirname, "..", "..", "functions", "warehouse-setup");

/** One statement the setup runs: skipped when `skipWhen` returns a row. */
export interface WarehouseStep {
  readonly name: string;
  readonly sql: string;
  readonly skipWhen?: string;
}

/**
 * Who uses the dashboard besides its tenants (each its own user in `DASHBOARD_TENANTS_GROUP`): the Redshift user of
 * the IAM role that refreshes it through the Data API.
 */
export interface DashboardReaders {
  /** The dashboard refresh state machine's role: runs the refresh procedure. */
  readonly refresherRoleName: string;
}

/** Redshift's user for an IAM role that connects through the Data API with its own identity. */
export const iamRoleUser = (roleName: string) => `IAMR:${roleName}`;

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
const identifier = (text: string) => `"${text.replaceAll('"', '""')}"`;

/**
 * The refresh procedure: creates each dashboard view the first time its source tables have been replicated (zero-ETL
 * creates them after the metrics migrations ran), then refreshes every view that exists. So the views need no
 * ordering against the migrations, and the deploy never waits for a replication. Every view gets the tenant rows
 * policy (row-level security on) before anyone can read it, and again on any run that finds it without (a failure
 * between two statements). NONATOMIC: each statement commits on its own; SECURITY DEFINER: it runs as its owner (the
 * admin), so its callers need EXECUTE only.
 */
export function refreshProcedure(sourceDatabase: string = ZERO_ETL_DATABASE): string {
  const views = dashboardViews().map((view) => {
    const select = view.select
      .split("\n")
      .filter((line) => !line.trim().startsWith("--"))
      .join("\n")
      .trim();
    const sources = [...new Set([...select.matchAll(new RegExp(`${sourceDatabase}\\.public\\.(\\w+)`, "g"))].map((match) => match[1]))];
    const exists = `EXISTS (SELECT 1 FROM svv_mv_info WHERE schema = ${literal(DASHBOARD_SCHEMA)} AND name = ${literal(view.name)})`;
    const protectedView = `EXISTS (SELECT 1 FROM svv_rls_attached_policy WHERE relschema = ${literal(DASHBOARD_SCHEMA)} AND relname = ${literal(view.name)} AND polname = ${literal(TENANT_ROWS_POLICY)} AND is_rls_on)`;
    const protect = [
      `    EXECUTE ${literal(`ATTACH RLS POLICY ${TENANT_ROWS_POLICY} ON ${DASHBOARD_SCHEMA}.${view.name} TO PUBLIC`)};`,
      `    EXECUTE ${literal(`ALTER MATERIALIZED VIEW ${DASHBOARD_SCHEMA}.${view.name} ROW LEVEL SECURITY ON`)};`,
    ];
    const replicated = sources.map(
      (table) => `EXISTS (SELECT 1 FROM svv_redshift_tables WHERE database_name = ${literal(sourceDatabase)} AND schema_name = 'public' AND table_name = ${literal(table)})`,
    );
    return [
      `  IF NOT ${exists} AND ${replicated.join(" AND ")} THEN`,
      `    EXECUTE ${literal(`CREATE MATERIALIZED VIEW ${DASHBOARD_SCHEMA}.${view.name} AS ${select}`)};`,
      ...protect,
      "  END IF;",
      `  IF ${exists} AND NOT ${protectedView} THEN`,
      ...protect,
      "  END IF;",
      `  IF ${exists} THEN`,
      `    REFRESH MATERIALIZED VIEW ${DASHBOARD_SCHEMA}.${view.name};`,
      "  END IF;",
    ].join("\n");
  });
  return [`CREATE OR REPLACE PROCEDURE ${REFRESH_PROCEDURE} NONATOMIC AS $$`, "BEGIN", ...views, "END;", "$$ LANGUAGE plpgsql SECURITY DEFINER"].join("\n");
}

/**
 * The warehouse's objects, in order, each idempotent (a re-run changes nothing): the zero-ETL database, the dashboard
 * schema, the tenants' group and row-level security policy, the refresh procedure, the refresher's IAM user (created
 * before its first grant), the grants, and a first refresh. Tenants' users are created at their first sign-in
 * (GetClusterCredentials with AutoCreate) with PUBLIC's rights and the group's: SELECT on the dashboard's views,
 * filtered to their own rows.
 */
export function warehouseSteps(props: { readonly sourceDatabase: string; readonly warehouseDatabase: string; readonly readers: DashboardReaders }): WarehouseStep[] {
  const refresher = identifier(iamRoleUser(props.readers.refresherRoleName));
  const tenants = `GROUP ${DASHBOARD_TENANTS_GROUP}`;
  const userStep = (name: string, roleName: string): WarehouseStep => ({
    name,
    skipWhen: `SELECT 1 FROM pg_user WHERE usename = ${literal(iamRoleUser(roleName))}`,
    sql: `CREATE USER ${identifier(iamRoleUser(roleName))} PASSWORD DISABLE`,
  });
  return [
    {
      name: "zero-etl-database",
      skipWhen: `SELECT 1 FROM svv_redshift_databases WHERE database_name = ${literal(ZERO_ETL_DATABASE)}`,
      sql: `CREATE DATABASE ${ZERO_ETL_DATABASE} FROM INTEGRATION '{integrationId}' DATABASE ${props.sourceDatabase}`,
    },
    // PUBLIC (every user, the dashboard's included) may assume no IAM role through COPY, UNLOAD or external schemas,
    // create no temporary table and nothing in the public schema: a user gets only what the steps below grant it.
    { name: "public-no-assume-role", sql: "REVOKE ASSUMEROLE ON ALL FROM PUBLIC FOR ALL" },
    { name: "public-no-temp", sql: `REVOKE TEMP ON DATABASE ${identifier(props.warehouseDatabase)} FROM PUBLIC` },
    { name: "public-no-create", sql: "REVOKE CREATE ON SCHEMA public FROM PUBLIC" },
    { name: "dashboard-schema", sql: `CREATE SCHEMA IF NOT EXISTS ${DASHBOARD_SCHEMA}` },
    {
      name: "tenants-group",
      skipWhen: `SELECT 1 FROM pg_group WHERE groname = ${literal(DASHBOARD_TENANTS_GROUP)}`,
      sql: `CREATE GROUP ${DASHBOARD_TENANTS_GROUP}`,
    },
    {
      // Zero-ETL replicates PostgreSQL's text as VARCHAR(65535): the policy's column has the views' type.
      name: "tenant-rows-policy",
      skipWhen: `SELECT 1 FROM svv_rls_policy WHERE polname = ${literal(TENANT_ROWS_POLICY)}`,
      sql: `CREATE RLS POLICY ${TENANT_ROWS_POLICY} WITH (tenant_id VARCHAR(65535)) USING (${TENANT_ROWS_PREDICATE})`,
    },
    { name: "refresh-procedure", sql: refreshProcedure() },
    userStep("refresher-user", props.readers.refresherRoleName),
    { name: "schema-usage", sql: `GRANT USAGE ON SCHEMA ${DASHBOARD_SCHEMA} TO ${refresher}, ${tenants}` },
    { name: "refresh-execute", sql: `GRANT EXECUTE ON PROCEDURE ${REFRESH_PROCEDURE} TO ${refresher}` },
    // Views the procedure creates later belong to its owner, the admin, who runs this: the tenants read them too.
    { name: "tenants-default-select", sql: `ALTER DEFAULT PRIVILEGES IN SCHEMA ${DASHBOARD_SCHEMA} GRANT SELECT ON TABLES TO ${tenants}` },
    { name: "tenants-select", sql: `GRANT SELECT ON ALL TABLES IN SCHEMA ${DASHBOARD_SCHEMA} TO ${tenants}` },
    { name: "first-refresh", sql: `CALL ${REFRESH_PROCEDURE}` },
  ];
}

export interface WarehouseSetupProps {
  /** Resource name prefix, `<project>-<env>`; the function is `<prefix>-warehouse-setup`. */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly region: string;
  /** The warehouse (its admin secret, its database). */
  readonly warehouse: AnalyticsWarehouse;
  /** The zero-ETL integration (its ARN carries the id) and its source database. */
  readonly integration: { readonly arn: string; readonly sourceDatabase: string };
  /** Who reads the dashboard. */
  readonly readers: DashboardReaders;
  /** Key and retention of the function's logs. */
  readonly logsKey: EncryptionKey;
  readonly logRetentionDays: number;
  /** What must exist first besides the integration and the cluster, which the invocation refers to. @default nothing */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * The warehouse's objects, applied by the deploy: a Lambda function (`functions/warehouse-setup`) that runs the steps
 * through the Redshift Data API as the admin, invoked by Terraform (aws_lambda_invocation) whenever the steps change,
 * after the integration exists. A failed statement fails the apply with Redshift's message. No network path: the
 * Data API is an AWS API.
 */
export class WarehouseSetup extends Construct {
  /** The steps, in order, as the function receives them. */
  readonly steps: WarehouseStep[];
  /** Function name. */
  readonly functionName: string;

  constructor(scope: Construct, id: string, props: WarehouseSetupProps) {
    super(scope, id);
    this.functionName = `${props.namePrefix}-warehouse-setup`;
    const functionArn = `arn:aws:lambda:${props.region}:${props.accountId}:function:${this.functionName}`;
    const logGroup = new LogGroup(this, "logs", { name: `/aws/lambda/${this.functionName}`, retentionDays: props.logRetentionDays, encryptionKey: props.logsKey });
    const role = new IamRole(this, "role", {
      roleName: this.functionName,
      description: "Warehouse setup: runs the dashboard's objects through the Redshift Data API as the admin, writes its logs",
      trust: [serviceTrust("lambda.amazonaws.com", props.accountId, functionArn)],
      statements: [{ Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroup.arn}:*` }],
    });
    props.warehouse.grantAdminDataApi(role);
    const codePackage = packageFunction(WAREHOUSE_SETUP_SOURCE, "warehouse-setup");
    const code = new TerraformAsset(this, "code", { path: codePackage.path, type: AssetType.FILE, assetHash: codePackage.hexSha256.slice(0, 32) });
    const fn = new LambdaFunction(this, "function", {
      functionName: this.functionName,
      description: "Applies the warehouse's objects (zero-ETL database, dashboard schema and procedure, readers and grants)",
      role: role.arn,
      runtime: "nodejs24.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: code.path,
      sourceCodeHash: codePackage.base64Sha256,
      memorySize: 256,
      // Lambda's maximum: a first refresh over a large replicated table may take minutes.
      timeout: 900,
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
      dependsOn: [logGroup.resource],
    });
    role.grantsBefore(fn);

    this.steps = warehouseSteps({ sourceDatabase: props.integration.sourceDatabase, warehouseDatabase: props.warehouse.databaseName, readers: props.readers });
    new LambdaInvocation(this, "apply", {
      functionName: fn.functionName,
      input: JSON.stringify({
        clusterIdentifier: props.warehouse.identifier,
        database: props.warehouse.databaseName,
        secretArn: props.warehouse.adminSecretArn,
        integrationArn: props.integration.arn,
        steps: this.steps,
      }),
      dependsOn: [fn, ...(props.dependsOn ?? [])],
    });
  }
}
