/**
 * The CDKTF app: validates every environment, then synthesizes the stacks of the selected ones
 * (`SYNTH_ENVIRONMENTS=dev,prod`, default all) into `CDKTF_OUTDIR` (default `cdktf.out`).
 * Invalid input stops it with a message and a non-zero exit, and nothing is written.
 */
import { ENVIRONMENT_INPUTS, allEnvironments, loadEnvironments, selectEnvironments } from "./environments";
import { createStacks, loadStackDependencies } from "./stacks";
import { synthesizeAtomically } from "./stacks/synthesize";
import { skipTokenCreationStacks } from "./stacks/token-creation-stacks";

async function main(): Promise<void> {
  skipTokenCreationStacks();
  const environments = loadEnvironments(ENVIRONMENT_INPUTS);
  const selected = selectEnvironments(allEnvironments(environments), process.env.SYNTH_ENVIRONMENTS);
  const dependencies = await loadStackDependencies();
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const stacks = synthesizeAtomically(outdir, (app) => createStacks(app, environments, dependencies, selected));
  console.log(`Synthesized ${stacks.length} stacks into ${outdir}: ${stacks.join(", ")}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
