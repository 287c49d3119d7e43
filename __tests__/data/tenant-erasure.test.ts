import { spawnSync } from "node:child_process";
import { CUSTOMER_DATA_CLASS, DATA_CLASS_TAG } from "../../modules/storage/data-perimeter";
import { TENANT_OBJECT_PREFIXES, erasureRequest, tenantErasureRunbook, tenantErasureSql, tenantProblem } from "../../modules/data/tenant-erasure";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { runNpmScript } from "../helpers/npm-script";
import { resourcesOf, synthesizedStacks } from "../helpers/synth";

// The tenant-erasure runbook (LGPD): every place a tenant's data lives, deleted by a script the break-glass operator
// runs. Its SQL is applied on PostgreSQL in metrics-migrations.test.ts.

describe.each(ENVIRONMENT_NAMES)("%s tenant erasure runbook", (name) => {
  const env = environment(name);
  const runbook = tenantErasureRunbook(env, "acmelab01");

  it("erases every version under each of the tenant's prefixes in every customer data bucket the stacks create", () => {
    const customerBuckets = Object.values(resourcesOf(synthesizedStacks(name)[`${name}-data`], "aws_s3_bucket"))
      .filter((bucket) => bucket.tags?.[DATA_CLASS_TAG] === CUSTOMER_DATA_CLASS)
      .map((bucket) => bucket.bucket as string);
    expect(customerBuckets).toHaveLength(3);
    const erased = [...runbook.matchAll(/^erase_prefix (\S+) (\S+)$/gm)].map(([, bucket, prefix]) => [bucket, prefix]);
    expect(new Set(erased.map(([bucket]) => bucket))).toEqual(new Set(customerBuckets));
    expect(erased).toEqual(TENANT_OBJECT_PREFIXES.map(({ purpose, prefix }) => [customerBuckets.find((bucket) => bucket.includes(`-${purpose}-`)), `${prefix}acmelab01/`]));
    // Versions and delete markers both: a versioned bucket keeps a deleted object's data in its noncurrent versions.
    expect(runbook).toContain("list-object-versions");
    expect(runbook).toContain(".DeleteMarkers");
  });

  it("deletes the metrics rows, refreshes the dashboard and drops the tenant's warehouse user, as break-glass", () => {
    expect(runbook).toContain(tenantErasureSql("acmelab01"));
    expect(runbook).toContain(`--cluster-identifier proteomics-${name}-analytics --database ${env.data.redshift.databaseName}`);
    expect(runbook).toContain(`'DROP USER IF EXISTS "tacmelab01"'`);
    expect(runbook).toContain(`AWS_PROFILE=${name}-break-glass`);
  });

  it("states what ages out on its own, with the environment's retention", () => {
    expect(runbook).toContain(`logs: ${env.pipeline.logRetentionDays} days`);
    expect(runbook).toContain(`access logs (keys name the tenant): ${env.data.buckets.accessLogRetentionDays} days`);
  });

  it("is a bash script that parses", () => {
    const check = spawnSync("bash", ["-n"], { input: runbook, encoding: "utf8" });
    expect([check.status, check.stderr]).toEqual([0, ""]);
  });
});

describe("the tenant-erasure command", () => {
  it("prints the runbook of a tenant of a workload environment", () => {
    const run = runNpmScript("tenant-erasure", ["dev", "acmelab01"]);
    expect([run.status, run.stdout]).toEqual([0, tenantErasureRunbook(environment("dev"), "acmelab01")]);
  });

  it("refuses a bad request with exit code 2, the reason, and nothing on standard output", () => {
    const run = runNpmScript("tenant-erasure", ["dev", "AcmeLab01"]);
    expect([run.status, run.stdout, run.stderr.trim()]).toEqual([2, "", `tenant-erasure: ${tenantProblem("AcmeLab01")}`]);
  });

  it.each([
    [["dev", "AcmeLab01"], 'tenant must be 1 to 63 lowercase letters or digits (the analysis contract\'s tenantId), not "AcmeLab01"'],
    [["dev", "acme/lab"], 'tenant must be 1 to 63 lowercase letters or digits (the analysis contract\'s tenantId), not "acme/lab"'],
    [["qa", "acmelab01"], `unknown workload environment "qa" (one of ${ENVIRONMENT_NAMES.join(", ")})`],
    [["dev"], "usage: npm run tenant-erasure -- <env> <tenant>"],
  ])("refuses %j with the reason", (args, problem) => {
    expect(erasureRequest(args, ENVIRONMENT_NAMES.map(environment))).toEqual({ problem });
  });
});
