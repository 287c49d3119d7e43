import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

const ROOT = path.join(__dirname, "..", "..");
const workflow = parse(fs.readFileSync(path.join(ROOT, ".github", "workflows", "ci.yml"), "utf8"));
const runs = (job: string): string[] => workflow.jobs[job].steps.filter((step: { run?: string }) => step.run).map((step: { run: string }) => step.run);

describe("the CI workflow", () => {
  it("checks every pull request: install, lint, type-check, tests, synth, and keeps the synthesized stacks", () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(["pull_request", "push"]));
    expect(runs("check")).toEqual(["npm ci", "npm run lint", "npm run typecheck", "npm test", "npm run synth"]);
    expect(workflow.jobs.check.steps.some((step: { with?: { name?: string } }) => step.with?.name === "cdktf.out")).toBe(true);
  });

  it("runs the check on the current Node LTS (24, the Atlantis image's) and on Node 20 (the build machines', the README's)", () => {
    expect(workflow.jobs.check.strategy.matrix.node).toEqual([24, 20]);
    const setup = workflow.jobs.check.steps.find((step: { uses?: string }) => step.uses?.startsWith("actions/setup-node"));
    expect(setup.with["node-version"]).toBe("${{ matrix.node }}");
    expect(fs.readFileSync(path.join(ROOT, "atlantis-server", "Dockerfile"), "utf8")).toMatch(/ARG NODE_VERSION=24\./);
    // One leg uploads the stacks the validate job reads (a matrix would otherwise upload the same name twice).
    expect(workflow.jobs.check.steps.find((step: { with?: { name?: string } }) => step.with?.name === "cdktf.out").if).toBe("matrix.node == 24");
  });

  it("validates and scans every synthesized stack after the check, with the scripts of .ci/", () => {
    const validate = workflow.jobs.validate;
    expect(validate.needs).toBe("check");
    expect(runs("validate")).toEqual(["bash .ci/validate-stacks", expect.stringMatching(/^pip install checkov==\d+\.\d+\.\d+$/), "bash .ci/scan-stacks"]);
    for (const script of ["validate-stacks", "scan-stacks"]) {
      const file = path.join(ROOT, ".ci", script);
      expect(fs.statSync(file).mode & 0o111).not.toBe(0);
      expect(fs.readFileSync(file, "utf8")).toContain("GITHUB_STEP_SUMMARY");
    }
  });

  it("fails the scan only on checks the guardrails also enforce", () => {
    const script = fs.readFileSync(path.join(ROOT, ".ci", "scan-stacks"), "utf8");
    const hardFail = script.slice(script.indexOf("hard_fail=("), script.indexOf(")", script.indexOf("hard_fail=("))).match(/CKV2?_AWS_\d+/g) ?? [];
    expect(hardFail.length).toBeGreaterThan(20);
    expect(new Set(hardFail).size).toBe(hardFail.length);
    // Environment-dependent checks (Multi-AZ, deletion protection) cannot fail dev: they are not in the list.
    expect(hardFail).not.toEqual(expect.arrayContaining(["CKV_AWS_157"]));
    expect(hardFail).not.toContain("CKV_AWS_293");
  });
});
