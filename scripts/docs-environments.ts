/**
 * `npm run docs:environments`: rewrites the per-environment tables of docs/architecture.md (accounts and networks,
 * subnets, databases, pipeline capacity, instance volumes) from the environments' configuration. Commit the result; a
 * test fails when the committed document drifts from the configuration.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ENVIRONMENT_INPUTS, loadEnvironments } from "../environments";
import { renderEnvironmentTables, withGeneratedSections } from "../modules/docs/environment-tables";

const target = path.join(__dirname, "..", "docs", "architecture.md");
fs.writeFileSync(target, withGeneratedSections(fs.readFileSync(target, "utf8"), renderEnvironmentTables(loadEnvironments(ENVIRONMENT_INPUTS))));
console.log(`Wrote ${path.relative(process.cwd(), target)}`);
