/**
 * `npm run atlantis`: synthesizes every environment into a scratch directory and writes atlantis.yaml from the
 * stacks and their dependencies. Commit the result; a test fails when the committed file drifts from the code.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderAtlantisYaml } from "../modules/delivery/atlantis-yaml";
import { runGenerator, withFullSynthesis } from "./full-synthesis";

runGenerator(() =>
  withFullSynthesis((outdir, environments) => {
    const root = path.join(__dirname, "..");
    fs.writeFileSync(path.join(root, "atlantis.yaml"), renderAtlantisYaml(root, outdir, environments));
    console.log("Wrote atlantis.yaml");
  }),
);
