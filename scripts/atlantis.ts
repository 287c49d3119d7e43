/**
 * `npm run atlantis`: synthesizes every environment into a scratch directory and writes atlantis.yaml (the projects,
 * from the stacks and their dependencies) and atlantis-server/repos.yaml (the server's workflow and requirements).
 * Commit the result; a test fails when a committed file drifts from the code.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_CONFIG_FILE, renderAtlantisYaml, renderRepoConfigYaml } from "../modules/delivery/atlantis-yaml";
import { runGenerator, withFullSynthesis } from "./full-synthesis";

runGenerator(() =>
  withFullSynthesis((outdir, environments) => {
    const root = path.join(__dirname, "..");
    fs.writeFileSync(path.join(root, "atlantis.yaml"), renderAtlantisYaml(root, outdir, environments));
    fs.mkdirSync(path.join(root, path.dirname(REPO_CONFIG_FILE)), { recursive: true });
    fs.writeFileSync(path.join(root, REPO_CONFIG_FILE), renderRepoConfigYaml());
    console.log(`Wrote atlantis.yaml and ${REPO_CONFIG_FILE}`);
  }),
);
