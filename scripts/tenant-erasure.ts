/**
 * `npm run tenant-erasure -- <env> <tenant>`: prints the erasure runbook of one tenant in one workload environment (a
 * bash script for the break-glass operator: every object version, metrics row and warehouse user of the tenant, and
 * what ages out on its own). Offline: it reads the environment files, nothing else. docs/provisioning.md, "Tenant
 * erasure", says how to run what it prints.
 */
import { ENVIRONMENT_INPUTS, loadEnvironments } from "../environments";
import { tenantErasureRunbook, tenantProblem } from "../modules/data/tenant-erasure";

const [envName, tenant] = process.argv.slice(2);
const { workloads } = loadEnvironments(ENVIRONMENT_INPUTS);
const env = workloads.find((candidate) => candidate.name === envName);
const problem =
  envName === undefined || tenant === undefined
    ? "usage: npm run tenant-erasure -- <env> <tenant>"
    : !env
      ? `unknown workload environment "${envName}" (one of ${workloads.map((candidate) => candidate.name).join(", ")})`
      : tenantProblem(tenant);
if (problem) {
  console.error(`tenant-erasure: ${problem}`);
  process.exit(2);
}
process.stdout.write(tenantErasureRunbook(env!, tenant));
