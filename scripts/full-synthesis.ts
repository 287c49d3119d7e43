/**
 * For the generators (`npm run atlantis`, `npm run docs:diagram`, `npm run cost`): synthesizes every environment into a scratch
 * directory, hands it to `use`, and removes it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ENVIRONMENT_INPUTS, LoadedEnvironments, loadEnvironments } from "../environments";
import { createStacks, loadStackDependencies } from "../stacks";
import { synthesizeAtomically } from "../stacks/synthesize";
import { skipTokenCreationStacks } from "../stacks/token-creation-stacks";

export async function withFullSynthesis(use: (outdir: string, environments: LoadedEnvironments) => Promise<void> | void): Promise<void> {
  skipTokenCreationStacks();
  const environments = loadEnvironments(ENVIRONMENT_INPUTS);
  const dependencies = await loadStackDependencies();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "full-synthesis-"));
  try {
    const outdir = path.join(scratch, "cdktf.out");
    synthesizeAtomically(outdir, (app) => createStacks(app, environments, dependencies));
    await use(outdir, environments);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Runs a generator's main function, printing its error and failing the process on error. */
export function runGenerator(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
