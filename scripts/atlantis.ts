/**
 * `npm run atlantis`: synthesizes every environment into a scratch directory and writes atlantis.yaml from the
 * stacks and their dependencies. Commit the result; a test fails when the committed file drifts from the code.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ENVIRONMENT_INPUTS, loadEnvironments } from "../environments";
import { renderAtlantisYaml } from "../modules/delivery/atlantis-yaml";
import { createEnvironmentStacks, loadStackDependencies } from "../stacks";
import { synthesizeAtomically } from "../stacks/synthesize";

async function main(): Promise<void> {
  const root = path.join(__dirname, "..");
  const environments = loadEnvironments(ENVIRONMENT_INPUTS);
  const dependencies = await loadStackDependencies();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "atlantis-"));
  try {
    const outdir = path.join(scratch, "cdktf.out");
    synthesizeAtomically(outdir, (app) => environments.forEach((env) => createEnvironmentStacks(app, env, dependencies)));
    fs.writeFileSync(path.join(root, "atlantis.yaml"), renderAtlantisYaml(root, outdir, environments));
    console.log("Wrote atlantis.yaml");
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
