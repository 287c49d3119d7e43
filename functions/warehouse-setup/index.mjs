/**
 * Applies the warehouse's objects through the Redshift Data API, invoked by the data stack at every apply whose steps
 * changed (aws_lambda_invocation): the zero-ETL database, the dashboard schema and its refresh procedure, the IAM
 * users of the workloads that read it, and their grants (modules/data/warehouse-setup.ts builds the steps).
 *
 * Event: { clusterIdentifier, database, secretArn, integrationArn, steps: [{ name, sql, skipWhen? }] }. Steps run in
 * order, one statement each, as the cluster's admin (its managed secret). A step with `skipWhen` first runs that query
 * and is skipped when it returns a row (what cannot be written idempotently in Redshift's SQL: CREATE DATABASE,
 * CREATE USER). `{integrationId}` in a step's SQL becomes the integration's id (the last field of its ARN).
 *
 * Returns { applied: [names], skipped: [names] }; a failed statement throws `<step>: <Redshift's message>`, which
 * fails the invocation and so the apply. No dependency beyond the AWS SDK of the Lambda runtime.
 */

const FINAL = ["FINISHED", "FAILED", "ABORTED"];

/** The handler, on a client `{ execute(input) -> { Id }, describe(id) -> { Status, Error, ResultRows } }`. */
export function createHandler(client, { pollMilliseconds = 1000, timeoutMilliseconds = 840000, sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)) } = {}) {
  return async (event) => {
    const { clusterIdentifier, database, secretArn, integrationArn, steps } = event;
    if (!clusterIdentifier || !database || !secretArn || !Array.isArray(steps)) throw new Error("the event needs clusterIdentifier, database, secretArn and steps");
    const integrationId = typeof integrationArn === "string" ? integrationArn.split(":")[6] : undefined;
    const deadline = Date.now() + timeoutMilliseconds;

    const run = async (name, sql) => {
      const { Id } = await client.execute({ ClusterIdentifier: clusterIdentifier, Database: database, SecretArn: secretArn, Sql: sql, StatementName: name });
      for (;;) {
        const statement = await client.describe(Id);
        if (FINAL.includes(statement.Status)) {
          if (statement.Status !== "FINISHED") throw new Error(`${name}: ${statement.Status.toLowerCase()}: ${statement.Error ?? "no message"}`);
          return statement;
        }
        if (Date.now() > deadline) throw new Error(`${name}: still ${statement.Status} when the function's time ran out`);
        await sleep(pollMilliseconds);
      }
    };

    const applied = [];
    const skipped = [];
    for (const step of steps) {
      if (step.skipWhen) {
        const check = await run(`${step.name}-check`, step.skipWhen);
        if ((check.ResultRows ?? 0) > 0) {
          skipped.push(step.name);
          continue;
        }
      }
      if (step.sql.includes("{integrationId}") && !integrationId) throw new Error(`${step.name}: needs the integration's ARN`);
      await run(step.name, step.sql.replaceAll("{integrationId}", integrationId ?? ""));
      applied.push(step.name);
    }
    console.log(JSON.stringify({ applied, skipped }));
    return { applied, skipped };
  };
}

let runtimeHandler;

export const handler = async (event) => {
  if (!runtimeHandler) {
    const { RedshiftDataClient, ExecuteStatementCommand, DescribeStatementCommand } = await import("@aws-sdk/client-redshift-data");
    const sdk = new RedshiftDataClient({});
    runtimeHandler = createHandler({
      execute: (input) => sdk.send(new ExecuteStatementCommand(input)),
      describe: (id) => sdk.send(new DescribeStatementCommand({ Id: id })),
    });
  }
  return runtimeHandler(event);
};
