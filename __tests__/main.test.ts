import { ENVIRONMENT_INPUTS, allEnvironments, loadEnvironments } from "../environments";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runNpmScript } from "./helpers/npm-script";


/** Runs the app the way `npm run synth` does, into a fresh directory. */
function runSynth(selection: string) {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "main-")), "cdktf.out");
  const result = runNpmScript("synth", [], { env: { ...process.env, CDKTF_OUTDIR: outdir, SYNTH_ENVIRONMENTS: selection } });
  return { ...result, outdir };
}

describe("npm run synth (main.ts)", () => {
  it("synthesizes the selected environments only", () => {
    const { status, stdout, outdir } = runSynth("dev");
    expect(status).toBe(0);
    const stacks = fs.readdirSync(path.join(outdir, "stacks"));
    expect(stacks).toContain("dev-state");
    expect(stacks.every((stack) => stack.startsWith("dev-"))).toBe(true);
    expect(stdout).toContain(`Synthesized ${stacks.length} stacks`);
  });

  it("exits non-zero with the message and writes nothing on bad input", () => {
    const { status, stderr, outdir } = runSynth("dev,not-an-environment");
    expect(status).toBe(1);
    const known = allEnvironments(loadEnvironments(ENVIRONMENT_INPUTS)).map((env) => env.name);
    expect(stderr).toContain(`not-an-environment: SYNTH_ENVIRONMENTS: is not a known environment (known: ${known.join(", ")})`);
    expect(fs.existsSync(outdir)).toBe(false);
  });
});
