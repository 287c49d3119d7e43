import * as path from "node:path";
import { ZERO_ETL_DATABASE, dashboardViews } from "../../modules/data/metrics-schema";
import { DASHBOARD_SCHEMA, DASHBOARD_TENANTS_GROUP, REFRESH_PROCEDURE, TENANT_ROWS_POLICY, TENANT_ROWS_PREDICATE, TENANT_USER_PREFIX } from "../../modules/data/dashboard-names";
import { WAREHOUSE_SETUP_SOURCE, WarehouseStep, iamRoleUser, refreshProcedure, warehouseSteps } from "../../modules/data/warehouse-setup";
import { dashboardRefreshName } from "../../modules/pipeline/dashboard-refresh";
import { stateMachineRoleName } from "../../modules/pipeline/pipeline-names";
import { DASHBOARD_REFRESH_STATEMENT } from "../../stacks/pipeline-stack";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { LocalPostgres, startPostgres } from "../helpers/postgres";
import { StackJson, resourcesOf, synthesizedStacks } from "../helpers/synth";

// The warehouse's objects: the steps the data stack's setup function runs through the Redshift Data API, the
// function itself (run here on a stand-in Data API), and the synthesized invocation.

/** The function's module (an ES module, loaded as Lambda loads it). */
interface SetupModule {
  createHandler(client: unknown, options?: { sleep?: () => Promise<void> }): (event: unknown) => Promise<{ applied: string[]; skipped: string[] }>;
}
const loadSetup = (): Promise<SetupModule> => import(path.join(WAREHOUSE_SETUP_SOURCE, "index.mjs"));
const createHandler = async (client: unknown, options: { sleep?: () => Promise<void> }) => (await loadSetup()).createHandler(client, options);

const READERS = { refresherRoleName: "proteomics-dev-dashboard-refresh-sfn" };
const steps = warehouseSteps({ sourceDatabase: "metrics", warehouseDatabase: "analytics", readers: READERS });
const index = (name: string) => steps.findIndex((step) => step.name === name);

/** A stand-in Data API: records statements, finishes them (or fails those `failing` matches), answers checks. */
function fakeDataApi(options: { failing?: RegExp; rows?: (sql: string) => number; pendingPolls?: number } = {}) {
  const executed: string[] = [];
  const statements = new Map<string, { sql: string; polls: number }>();
  const client = {
    execute: async (input: { Sql: string; ClusterIdentifier: string; Database: string; SecretArn: string }) => {
      executed.push(input.Sql);
      const id = `statement-${executed.length}`;
      statements.set(id, { sql: input.Sql, polls: 0 });
      return { Id: id };
    },
    describe: async (id: string) => {
      const statement = statements.get(id)!;
      if (statement.polls++ < (options.pendingPolls ?? 0)) return { Status: "STARTED" };
      if (options.failing?.test(statement.sql)) return { Status: "FAILED", Error: 'ERROR: permission denied for relation "x"' };
      return { Status: "FINISHED", ResultRows: options.rows?.(statement.sql) ?? 0 };
    },
  };
  return { client, executed };
}

const event = (stepsToRun: readonly WarehouseStep[] = steps) => ({
  clusterIdentifier: "proteomics-dev-analytics",
  database: "analytics",
  secretArn: "arn:aws:secretsmanager:sa-east-1:111122223333:secret:redshift!proteomics-dev-analytics-admin-AbCdEf",
  integrationArn: "arn:aws:rds:sa-east-1:111122223333:integration:5b4a7c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b",
  steps: stepsToRun,
});
const noWait = { sleep: async () => undefined };

describe("the warehouse's steps", () => {
  it("create the zero-ETL database from the integration, once", () => {
    const step = steps[index("zero-etl-database")];
    expect(step.sql).toBe(`CREATE DATABASE ${ZERO_ETL_DATABASE} FROM INTEGRATION '{integrationId}' DATABASE metrics`);
    expect(step.skipWhen).toBe(`SELECT 1 FROM svv_redshift_databases WHERE database_name = '${ZERO_ETL_DATABASE}'`);
  });

  it("create the refresher's Redshift user before its first grant, once", () => {
    for (const [stepName, roleName] of [["refresher-user", READERS.refresherRoleName]]) {
      const user = `"${iamRoleUser(roleName)}"`;
      const step = steps[index(stepName)];
      expect(step).toEqual({ name: stepName, sql: `CREATE USER ${user} PASSWORD DISABLE`, skipWhen: `SELECT 1 FROM pg_user WHERE usename = '${iamRoleUser(roleName)}'` });
      const firstUse = steps.findIndex((candidate) => candidate.name !== stepName && candidate.sql.includes(user));
      expect([stepName, firstUse > index(stepName)]).toEqual([stepName, true]);
    }
  });

  it("are each idempotent: guarded by a check, or a statement that changes nothing the second time", () => {
    const idempotent = /^(CREATE SCHEMA IF NOT EXISTS|CREATE OR REPLACE PROCEDURE|GRANT |REVOKE |ALTER DEFAULT PRIVILEGES|CALL )/;
    for (const step of steps) expect([step.name, step.skipWhen !== undefined || idempotent.test(step.sql)]).toEqual([step.name, true]);
  });

  it("take from PUBLIC, before any grant, the role assumption (COPY, UNLOAD, external schemas), temporary tables and the public schema", () => {
    expect(steps.slice(0, 4).map((step) => [step.name, step.sql])).toEqual([
      ["zero-etl-database", expect.stringContaining("CREATE DATABASE")],
      ["public-no-assume-role", "REVOKE ASSUMEROLE ON ALL FROM PUBLIC FOR ALL"],
      ["public-no-temp", 'REVOKE TEMP ON DATABASE "analytics" FROM PUBLIC'],
      ["public-no-create", "REVOKE CREATE ON SCHEMA public FROM PUBLIC"],
    ]);
    expect(steps.findIndex((step) => step.sql.startsWith("GRANT "))).toBeGreaterThan(index("public-no-create"));
  });

  it("grant only on what an earlier step created: the schema, the refresh procedure", () => {
    expect(index("dashboard-schema")).toBeLessThan(index("schema-usage"));
    expect(index("refresh-procedure")).toBeLessThan(index("refresh-execute"));
    expect(steps[index("refresh-execute")].sql).toBe(`GRANT EXECUTE ON PROCEDURE ${REFRESH_PROCEDURE} TO "${iamRoleUser(READERS.refresherRoleName)}"`);
    expect(steps.at(-1)).toEqual({ name: "first-refresh", sql: `CALL ${REFRESH_PROCEDURE}` });
    expect(DASHBOARD_REFRESH_STATEMENT).toBe(`CALL ${REFRESH_PROCEDURE}`);
  });

  it("let tenants read the dashboard's views only through their group, and create the group and the row policy first", () => {
    expect(steps[index("tenants-group")]).toEqual({ name: "tenants-group", sql: `CREATE GROUP ${DASHBOARD_TENANTS_GROUP}`, skipWhen: `SELECT 1 FROM pg_group WHERE groname = '${DASHBOARD_TENANTS_GROUP}'` });
    expect(steps[index("tenant-rows-policy")].sql).toBe(`CREATE RLS POLICY ${TENANT_ROWS_POLICY} WITH (tenant_id VARCHAR(65535)) USING (${TENANT_ROWS_PREDICATE})`);
    for (const grant of ["schema-usage", "tenants-default-select", "tenants-select"]) {
      expect([grant, steps[index(grant)].sql]).toEqual([grant, expect.stringContaining(`GROUP ${DASHBOARD_TENANTS_GROUP}`)]);
      expect([grant, index("tenants-group") < index(grant)]).toEqual([grant, true]);
    }
    // No user of an IAM role reads the views: a tenant's user does, filtered by the policy.
    expect(steps.filter((step) => /GRANT SELECT/.test(step.sql)).map((step) => step.sql)).toEqual(steps.filter((step) => /GRANT SELECT/.test(step.sql) && step.sql.endsWith(`TO GROUP ${DASHBOARD_TENANTS_GROUP}`)).map((step) => step.sql));
  });

  it("protect every dashboard view with the tenant rows policy as it is created, and again on a run that finds it without", () => {
    const procedure = refreshProcedure();
    for (const view of dashboardViews()) {
      // The policy's column: every view leads with the tenant of its rows.
      expect([view.name, /^SELECT\s+\w+\.tenant_id\b/m.test(view.select)]).toEqual([view.name, true]);
      const attach = `EXECUTE 'ATTACH RLS POLICY ${TENANT_ROWS_POLICY} ON ${DASHBOARD_SCHEMA}.${view.name} TO PUBLIC';`;
      const rlsOn = `EXECUTE 'ALTER MATERIALIZED VIEW ${DASHBOARD_SCHEMA}.${view.name} ROW LEVEL SECURITY ON';`;
      const create = procedure.indexOf(`EXECUTE 'CREATE MATERIALIZED VIEW ${DASHBOARD_SCHEMA}.${view.name} AS`);
      expect(procedure.indexOf(attach, create)).toBeGreaterThan(create);
      expect(procedure.indexOf(rlsOn, create)).toBeGreaterThan(procedure.indexOf(attach, create));
      expect(procedure.split(attach)).toHaveLength(3);
      expect(procedure).toContain(`relname = '${view.name}' AND polname = '${TENANT_ROWS_POLICY}' AND is_rls_on`);
    }
  });

  it("create each dashboard view from its file once its source tables are replicated, then refresh every view that exists", () => {
    const procedure = refreshProcedure();
    for (const view of dashboardViews()) {
      const select = view.select.split("\n").filter((line) => !line.startsWith("--")).join("\n").trim();
      expect(procedure).toContain(`EXECUTE 'CREATE MATERIALIZED VIEW ${DASHBOARD_SCHEMA}.${view.name} AS ${select.replaceAll("'", "''")}';`);
      expect(procedure).toContain(`    REFRESH MATERIALIZED VIEW ${DASHBOARD_SCHEMA}.${view.name};`);
      for (const [, table] of select.matchAll(new RegExp(`${ZERO_ETL_DATABASE}\\.public\\.(\\w+)`, "g"))) {
        expect(procedure).toContain(`table_name = '${table}'`);
      }
    }
    expect(procedure).toMatch(/^CREATE OR REPLACE PROCEDURE dashboard\.refresh_views\(\) NONATOMIC AS \$\$\n/);
    expect(procedure).toMatch(/\$\$ LANGUAGE plpgsql SECURITY DEFINER$/);
  });

  describe("in PostgreSQL's PL/pgSQL (Redshift's procedures are PL/pgSQL)", () => {
    let pg: LocalPostgres;
    beforeAll(() => (pg = startPostgres()));
    afterAll(() => pg?.stop());

    it("the revokes from PUBLIC leave a new user no temporary table and nothing to create in public (PostgreSQL's same statements)", () => {
      const revokes = [steps[index("public-no-temp")].sql.replace('"analytics"', "postgres"), steps[index("public-no-create")].sql].join("; ");
      expect(pg.psql(`${revokes}; CREATE USER dashboard_reader`, "postgres", "postgres").stderr).toBe("");
      expect(pg.psql("CREATE TEMP TABLE scratch (x int)", "dashboard_reader", "postgres").stderr).toContain("permission denied to create temporary tables");
      expect(pg.psql("CREATE TABLE public.mine (x int)", "dashboard_reader", "postgres").stderr).toContain("permission denied for schema public");
    });

    it("the tenant rows predicate shows each tenant's user its own rows, and a user of no tenant none (PostgreSQL's row security)", () => {
      const setup = [
        "CREATE TABLE tenant_rows_check (tenant_id text, analysis_id text)",
        "INSERT INTO tenant_rows_check VALUES ('acmelab01', 'a1'), ('acmelab01', 'a2'), ('betabio02', 'b1')",
        "ALTER TABLE tenant_rows_check ENABLE ROW LEVEL SECURITY",
        `CREATE POLICY tenant_rows ON tenant_rows_check USING (${TENANT_ROWS_PREDICATE})`,
        ...["acmelab01", "betabio02"].map((tenant) => `CREATE USER ${TENANT_USER_PREFIX}${tenant}`),
        'CREATE USER "IAMR:proteomics-dev-dashboard-refresh-sfn"',
        "GRANT SELECT ON tenant_rows_check TO PUBLIC",
      ].join("; ");
      expect(pg.psql(setup, "postgres", "postgres").stderr).toBe("");
      const rows = (user: string) => pg.psql("SELECT string_agg(analysis_id, ',' ORDER BY analysis_id) FROM tenant_rows_check", user, "postgres").stdout.trim();
      expect(rows(`${TENANT_USER_PREFIX}acmelab01`)).toBe("a1,a2");
      expect(rows(`${TENANT_USER_PREFIX}betabio02`)).toBe("b1");
      expect(rows("IAMR:proteomics-dev-dashboard-refresh-sfn")).toBe("");
    });

    it("the refresh procedure's body parses (PostgreSQL checks it at creation)", () => {
      const postgresForm = refreshProcedure().replace(" NONATOMIC ", " ").replace("SECURITY DEFINER", "");
      const result = pg.psql(`CREATE SCHEMA ${DASHBOARD_SCHEMA}; ${postgresForm}`, "postgres", "postgres");
      expect([result.ok, result.stderr]).toEqual([true, ""]);
    });
  });
});

describe("the warehouse setup function", () => {
  it("runs every step in order, the integration's id in its SQL", async () => {
    const { client, executed } = fakeDataApi({ pendingPolls: 2 });
    const result = await (await createHandler(client, noWait))(event());
    expect(result).toEqual({ applied: steps.map((step) => step.name), skipped: [] });
    const statements = executed.filter((sql) => !steps.some((step) => step.skipWhen === sql));
    expect(statements).toEqual(steps.map((step) => step.sql.replace("{integrationId}", "5b4a7c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b")));
  });

  it("skips a guarded step when its check returns a row (the database and the users exist on a second run)", async () => {
    const { client, executed } = fakeDataApi({ rows: (sql) => (sql.startsWith("SELECT 1 FROM") ? 1 : 0) });
    const result = await (await createHandler(client, noWait))(event());
    expect(result.skipped).toEqual(["zero-etl-database", "tenants-group", "tenant-rows-policy", "refresher-user"]);
    expect(executed.some((sql) => /^CREATE (DATABASE|USER|GROUP|RLS POLICY)/.test(sql))).toBe(false);
  });

  it("stops at a failed statement, naming the step and Redshift's message (the apply fails with it)", async () => {
    const { client, executed } = fakeDataApi({ failing: /^GRANT USAGE/ });
    await expect((await createHandler(client, noWait))(event())).rejects.toThrow('schema-usage: failed: ERROR: permission denied for relation "x"');
    expect(executed.some((sql) => sql.startsWith("CALL"))).toBe(false);
  });

  it("refuses an event without the cluster, database, secret or steps", async () => {
    const { client } = fakeDataApi();
    await expect((await createHandler(client, noWait))({ ...event(), secretArn: undefined })).rejects.toThrow("the event needs clusterIdentifier, database, secretArn and steps");
  });
});

describe.each(ENVIRONMENT_NAMES)("%s-data: the warehouse setup", (name) => {
  const env = environment(name);
  const stack = synthesizedStacks(name)[`${name}-data`];
  const [invocation] = Object.values(resourcesOf(stack, "aws_lambda_invocation"));
  const input = JSON.parse(invocation.input);
  const [setupFunctionId, setupFunction] = Object.entries(resourcesOf(stack, "aws_lambda_function")).find(([, fn]) => fn.function_name.endsWith("-warehouse-setup"))!;

  it("invokes the function with the steps, for the dashboard's refresher (the refresh state machine)", () => {
    const prefix = `${env.project}-${env.name}`;
    const readers = { refresherRoleName: stateMachineRoleName(dashboardRefreshName(prefix)) };
    expect(input.steps).toEqual(warehouseSteps({ sourceDatabase: env.data.postgres.databaseName, warehouseDatabase: env.data.redshift.databaseName, readers }));
    expect(invocation.function_name).toBe(`\${aws_lambda_function.${setupFunctionId}.function_name}`);
    expect(input.database).toBe(env.data.redshift.databaseName);
    expect(input.integrationArn).toMatch(/^\$\{aws_rds_integration\..+\.arn\}$/);
    expect(input.secretArn).toMatch(/^\$\{aws_redshift_cluster\..+\.master_password_secret_arn\}$/);
    expect(setupFunction.timeout).toBe(900);
  });

  it("gives the function the admin's Data API and secret, and nothing else", () => {
    const role = Object.entries(resourcesOf(stack, "aws_iam_role")).find(([, candidate]) => candidate.name === setupFunction.function_name)!;
    const policy = Object.values(resourcesOf(stack, "aws_iam_role_policy")).find((candidate) => candidate.role === `\${aws_iam_role.${role[0]}.name}`)!;
    const actions = (JSON.parse(policy.policy).Statement as StackJson[]).flatMap((statement) => [statement.Action].flat()).sort();
    expect(actions).toEqual(["kms:Decrypt", "logs:CreateLogStream", "logs:PutLogEvents", "redshift-data:DescribeStatement", "redshift-data:ExecuteStatement", "secretsmanager:GetSecretValue"]);
  });
});
