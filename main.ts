/**
 * The CDKTF app: validates every environment, then synthesizes the stacks of the selected ones
 * (`SYNTH_ENVIRONMENTS=dev,prod`, default all) into `CDKTF_OUTDIR` (default `cdktf.out`).
 * Invalid input stops it with a message and a non-zero exit, and nothing is written.
 */
import { ENVIRONMENT_INPUTS, loadEnvironments, selectEnvironments } from "./environments";
import { createEnvironmentStacks, loadStackDependencies } from "./stacks";
import { synthesizeAtomically } from "./stacks/synthesize";

async function main(): Promise<void> {
  const environments = selectEnvironments(loadEnvironments(ENVIRONMENT_INPUTS), process.env.SYNTH_ENVIRONMENTS);
  const dependencies = await loadStackDependencies();
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const stacks = synthesizeAtomically(outdir, (app) => environments.forEach((env) => createEnvironmentStacks(app, env, dependencies)));
  console.log(`Synthesized ${stacks.length} stacks into ${outdir}: ${stacks.join(", ")}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
