/**
 * One synthesis of every environment, timed by phase, for `npm run bench`: process and module load (node, the TypeScript hook
 * and every module the app imports), the construct tree (environments validated, stacks built), the guardrails (the
 * aspect's checks, run during the synthesis) and the rest of the synthesis (other aspects, Terraform JSON, files).
 * Writes the figures, in milliseconds, as JSON to BENCH_PHASES_FILE.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { App } from "cdktf";
import { ENVIRONMENT_INPUTS, loadEnvironments } from "../environments";
import { GuardrailsAspect } from "../modules/guardrails/guardrails-aspect";
import { createStacks, loadStackDependencies } from "../stacks";
import { skipTokenCreationStacks } from "../stacks/token-creation-stacks";

async function main(): Promise<void> {
  // The imports above ran before this line: time since the process started, with the Karpenter models' ES modules.
  const dependencies = await loadStackDependencies();
  const moduleLoad = performance.now();

  skipTokenCreationStacks();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-phases-"));
  try {
    const app = new App({ outdir, stackTraces: false });
    createStacks(app, loadEnvironments(ENVIRONMENT_INPUTS), dependencies);
    const constructTree = performance.now();

    let guardrails = 0;
    const check = GuardrailsAspect.prototype.check;
    GuardrailsAspect.prototype.check = function timed(this: InstanceType<typeof GuardrailsAspect>, stack, json) {
      const started = performance.now();
      try {
        return check.call(this, stack, json);
      } finally {
        guardrails += performance.now() - started;
      }
    };
    app.synth();
    const synthesis = performance.now();
    const phases = {
      moduleLoad,
      constructTree: constructTree - moduleLoad,
      guardrails,
      synthesisAndWrite: synthesis - constructTree - guardrails,
    };
    if (process.env.BENCH_PHASES_FILE) fs.writeFileSync(process.env.BENCH_PHASES_FILE, JSON.stringify(phases));
    else console.log(phases);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
