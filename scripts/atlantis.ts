/**
 * `npm run atlantis`: synthesizes every environment into a scratch directory and writes atlantis.yaml (the projects,
 * from the stacks and their dependencies), atlantis-server/planner.yaml and applier.yaml (each server's workflow and
 * requirements) and atlantis-server/aws-config (the servers' profiles). Commit the result; a test fails when a
 * committed file drifts from the code.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ATLANTIS_SERVERS } from "../modules/delivery/atlantis-server-config";
import { AWS_CONFIG_FILE, renderAtlantisYaml, renderAwsConfig, renderRepoConfigYaml, repoConfigFile } from "../modules/delivery/atlantis-yaml";
import { runGenerator, withFullSynthesis } from "./full-synthesis";

runGenerator(() =>
  withFullSynthesis((outdir, environments) => {
    const root = path.join(__dirname, "..");
    fs.writeFileSync(path.join(root, "atlantis.yaml"), renderAtlantisYaml(root, outdir, environments.workloads, environments.tooling));
    fs.mkdirSync(path.join(root, "atlantis-server"), { recursive: true });
    for (const server of ATLANTIS_SERVERS) fs.writeFileSync(path.join(root, repoConfigFile(server)), renderRepoConfigYaml(server));
    fs.writeFileSync(path.join(root, AWS_CONFIG_FILE), renderAwsConfig(environments.workloads));
    console.log(`Wrote atlantis.yaml, ${ATLANTIS_SERVERS.map(repoConfigFile).join(", ")} and ${AWS_CONFIG_FILE}`);
  }),
);
