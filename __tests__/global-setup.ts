import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { ENVIRONMENT_INPUTS, loadEnvironments } from "../environments";
import { listSuppressions } from "../modules/guardrails/suppressions";
import { createStacks, loadStackDependencies } from "../stacks";
import { skipTokenCreationStacks } from "../stacks/token-creation-stacks";
import { SUPPRESSIONS_FILE } from "./helpers/synth";

/**
 * Synthesizes every committed environment once for the whole test run (validations and guardrails included, as
 * `npm run synth` does) into a temporary directory that test files read through `synthesizedStacks()`, with the
 * guardrail suppressions of the construct tree next to it (`synthesizedSuppressions()`).
 */
export default async function globalSetup(): Promise<void> {
  skipTokenCreationStacks();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "proteomics-synth-"));
  const app = Testing.app({ outdir });
  const dependencies = await loadStackDependencies();
  createStacks(app, loadEnvironments(ENVIRONMENT_INPUTS), dependencies);
  app.synth();
  fs.writeFileSync(path.join(outdir, SUPPRESSIONS_FILE), JSON.stringify(listSuppressions(app)));
  process.env.PROTEOMICS_SYNTH_DIR = outdir;
}
