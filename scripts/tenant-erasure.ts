/**
 * `npm run tenant-erasure -- <env> <tenant>`: prints the erasure runbook of one tenant in one workload environment (a
 * bash script for the break-glass operator: every object version, metrics row and warehouse user of the tenant, and
 * what ages out on its own). Offline: it reads the environment files, nothing else. docs/provisioning.md, "Tenant
 * erasure", says how to run what it prints.
 */
import { ENVIRONMENT_INPUTS, loadEnvironments } from "../environments";
import { erasureRequest, tenantErasureRunbook } from "../modules/data/tenant-erasure";

const request = erasureRequest(process.argv.slice(2), loadEnvironments(ENVIRONMENT_INPUTS).workloads);
if ("problem" in request) {
  console.error(`tenant-erasure: ${request.problem}`);
  process.exit(2);
}
process.stdout.write(tenantErasureRunbook(request.env, request.tenant));
