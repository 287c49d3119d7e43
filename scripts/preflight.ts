/**
 * `npm run preflight -- <environment>`: before running Terraform against an environment by hand, checks Terraform and
 * the AWS CLI versions, that the credentials are the environment's account, and that they may assume its plan role.
 * Prints each check with the fix; exits non-zero when one fails.
 */
import { spawnSync } from "node:child_process";
import { ENVIRONMENT_INPUTS, allEnvironments, loadEnvironments } from "../environments";
import { preflightChecks } from "../modules/delivery/preflight";

const name = process.argv[2];
try {
  const known = allEnvironments(loadEnvironments(ENVIRONMENT_INPUTS));
  if (!name) throw new Error(`usage: npm run preflight -- <environment> (one of ${known.map((env) => env.name).join(", ")})`);
  const env = known.find((candidate) => candidate.name === name);
  if (!env) throw new Error(`unknown environment "${name}" (known: ${known.map((candidate) => candidate.name).join(", ")})`);
  const checks = preflightChecks(env, (command, args) => {
    const result = spawnSync(command, [...args], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
    return { status: result.error ? null : result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? String(result.error ?? "") };
  });
  for (const check of checks) console.log(`${check.ok ? "ok  " : "FAIL"} ${check.name}: ${check.detail}`);
  process.exitCode = checks.every((check) => check.ok) ? 0 : 1;
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
}
