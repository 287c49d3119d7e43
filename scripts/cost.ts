/**
 * `npm run cost [-- --lines]`: synthesizes every environment (offline) and prices it: the fixed monthly cost per stack and
 * resource, one nominal analysis, and the month at the nominal load (modules/cost/). Prints a summary per environment
 * and writes docs/cost.md and docs/pt-BR/cost.md, three decisions priced against their alternatives included. Commit
 * them; a test fails when they drift from the code.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { environmentAlternatives } from "../modules/cost/alternatives";
import { environmentCost } from "../modules/cost/cost-model";
import { environmentStacks, renderCostDocument, renderCostSummary } from "../modules/cost/cost-report";
import { runGenerator, withFullSynthesis } from "./full-synthesis";

runGenerator(() =>
  withFullSynthesis((outdir, environments) => {
    // Workload environments in promotion order, then the tooling account.
    const ordered = [...environments.workloads, ...(environments.tooling ? [environments.tooling] : [])];
    const stacks = ordered.map((env) => ({ env, stacks: environmentStacks(outdir, env.name) }));
    const costs = stacks.map(({ env, stacks: synthesized }) => environmentCost(env, synthesized));
    // Three decisions against their alternatives (modules/cost/alternatives.ts), workload environments only.
    const alternatives = stacks.flatMap(({ env, stacks: synthesized }) => environmentAlternatives(env, synthesized));
    const types = [...new Set(stacks.flatMap(({ stacks: synthesized }) => Object.values(synthesized).flatMap((json) => Object.keys(json.resource ?? {}))))];
    console.log(renderCostSummary(costs));
    // Every fixed line, resource by resource, when asked.
    if (process.argv.includes("--lines")) {
      for (const cost of costs) {
        for (const entry of cost.fixed) console.log(`${entry.stack}\t${entry.address}\t${entry.item}\t${entry.quantity} ${entry.unit} × ${entry.unitUsd}\t${entry.monthlyUsd.toFixed(2)}`);
      }
    }
    const root = path.join(__dirname, "..");
    for (const [language, file] of [["en", "docs/cost.md"], ["pt-BR", "docs/pt-BR/cost.md"]] as const) {
      fs.writeFileSync(path.join(root, file), renderCostDocument(costs, types, language, alternatives));
      console.log(`Wrote ${file}`);
    }
  }),
);
