/**
 * `npm run docs:environments`: rewrites the per-environment tables of docs/architecture.md (accounts and networks,
 * subnets, databases, pipeline capacity, instance volumes) from the environments' configuration, and those of the
 * provisioning guides (docs/provisioning.md, docs/pt-BR/provisioning.md: EC2 vCPU quotas, the time and cost of a first
 * build) from the configuration and the cost model of the synthesized stacks. Commit the result; a test fails when a
 * committed document drifts from the code.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { environmentCost } from "../modules/cost/cost-model";
import { environmentStacks } from "../modules/cost/cost-report";
import { renderEnvironmentTables, withGeneratedSections } from "../modules/docs/environment-tables";
import { renderProvisioningTables } from "../modules/docs/provisioning-tables";
import { runGenerator, withFullSynthesis } from "./full-synthesis";

const root = path.join(__dirname, "..");
const rewrite = (file: string, sections: Readonly<Record<string, string>>) => {
  const target = path.join(root, file);
  fs.writeFileSync(target, withGeneratedSections(fs.readFileSync(target, "utf8"), sections));
  console.log(`Wrote ${file}`);
};

runGenerator(() =>
  withFullSynthesis((outdir, environments) => {
    rewrite("docs/architecture.md", renderEnvironmentTables(environments));
    const all = [...environments.workloads, ...(environments.tooling ? [environments.tooling] : [])];
    const costs = all.map((env) => environmentCost(env, environmentStacks(outdir, env.name)));
    rewrite("docs/provisioning.md", renderProvisioningTables(environments, costs, "en"));
    rewrite("docs/pt-BR/provisioning.md", renderProvisioningTables(environments, costs, "pt-BR"));
  }),
);
