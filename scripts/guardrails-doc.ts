/**
 * `npm run docs:guardrails`: writes docs/guardrails.md, the rule catalogue and every suppression of every
 * environment, from the code (the construct tree; nothing is synthesized). Commit the result; a test fails when the
 * committed file drifts from the code.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";
import { ENVIRONMENT_INPUTS, loadEnvironments } from "../environments";
import { renderGuardrailCatalogue } from "../modules/guardrails/catalogue";
import { listSuppressions } from "../modules/guardrails/suppressions";
import { createStacks, loadStackDependencies } from "../stacks";
import { runGenerator } from "./full-synthesis";

runGenerator(async () => {
  const app = new App({ skipValidation: true });
  const dependencies = await loadStackDependencies();
  createStacks(app, loadEnvironments(ENVIRONMENT_INPUTS), dependencies);
  const target = path.join(__dirname, "..", "docs", "guardrails.md");
  fs.writeFileSync(target, renderGuardrailCatalogue(listSuppressions(app)));
  console.log(`Wrote ${path.relative(process.cwd(), target)}`);
});
