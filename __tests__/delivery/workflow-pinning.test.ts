import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { unpinnedActions, usesReferences } from "../../modules/delivery/action-pinning";

// The pinned supply chain (issue 21, item 5): every action a workflow runs is pinned by commit SHA, with its release
// tag in a comment Dependabot keeps up to date.

const ROOT = path.join(__dirname, "..", "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const workflows = fs
  .readdirSync(WORKFLOWS)
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => ({ file: `.github/workflows/${name}`, text: fs.readFileSync(path.join(WORKFLOWS, name), "utf8") }));

const SHA = "11d5960a326750d5838078e36cf38b85af677262";

/** Every `uses:` of a parsed workflow: each job's (a reusable workflow) and each step's. */
function parsedUses(text: string): string[] {
  const jobs: Record<string, { uses?: string; steps?: { uses?: string }[] }> = parse(text).jobs ?? {};
  return Object.values(jobs).flatMap((job) => [job.uses, ...(job.steps ?? []).map((step) => step.uses)].filter((uses): uses is string => !!uses));
}

describe("the workflows' actions", () => {
  it("are all pinned by a full commit SHA with the release tag in a trailing comment", () => {
    expect(workflows.length).toBeGreaterThan(0);
    for (const { file, text } of workflows) {
      expect(usesReferences(text).length).toBeGreaterThan(0);
      expect(unpinnedActions(text, file)).toEqual([]);
    }
  });

  it("are all seen by the line scan: it finds what a YAML parser finds, in every job and step", () => {
    for (const { text } of workflows) {
      expect(usesReferences(text).map((uses) => uses.reference).sort()).toEqual(parsedUses(text).sort());
    }
  });
});

describe("the pinning check", () => {
  it("reports a reference by tag, with its file and line", () => {
    const snippet = ["jobs:", "  build:", "    steps:", "      - uses: actions/checkout@v4", "      - run: npm ci"].join("\n");
    expect(unpinnedActions(snippet, "ci.yml")).toEqual([
      "ci.yml:4: actions/checkout@v4 is not pinned by a full 40-hex commit SHA (owner/repo@<sha> # vX.Y.Z)",
    ]);
  });

  it("reports a SHA pin without its tag comment, a short SHA, a branch and a Docker image by tag", () => {
    const snippet = [
      "steps:",
      `  - uses: actions/checkout@${SHA}`,
      `  - uses: actions/checkout@${SHA} # pinned`,
      "  - uses: actions/checkout@11d5960 # v4.4.0",
      "  - name: reusable",
      "    uses: octo/workflows/.github/workflows/build.yml@main",
      "  - uses: docker://alpine:3.20",
    ].join("\n");
    expect(unpinnedActions(snippet, "wf.yml")).toEqual([
      `wf.yml:2: actions/checkout@${SHA} has no trailing "# v…" tag comment`,
      `wf.yml:3: actions/checkout@${SHA} has no trailing "# v…" tag comment`,
      "wf.yml:4: actions/checkout@11d5960 is not pinned by a full 40-hex commit SHA (owner/repo@<sha> # vX.Y.Z)",
      "wf.yml:6: octo/workflows/.github/workflows/build.yml@main is not pinned by a full 40-hex commit SHA (owner/repo@<sha> # vX.Y.Z)",
      "wf.yml:7: docker://alpine:3.20 is not pinned by a sha256 image digest",
    ]);
  });

  it("accepts SHA pins with their tag (quoted or not), local actions and Docker images by digest", () => {
    const snippet = [
      "steps:",
      `  - uses: actions/checkout@${SHA} # v4.4.0`,
      `  - uses: "actions/setup-node@${SHA}" # v4.4.0`,
      `  - uses: 'hashicorp/setup-terraform@${SHA}'  #v3.1.2`,
      "  - uses: ./.github/actions/setup",
      `  - uses: docker://alpine@sha256:${"ab".repeat(32)}`,
    ].join("\n");
    expect(unpinnedActions(snippet, "wf.yml")).toEqual([]);
    expect(usesReferences(snippet).map((uses) => uses.tag)).toEqual(["v4.4.0", "v4.4.0", "v3.1.2", undefined, undefined]);
  });
});

describe("Dependabot", () => {
  const config = parse(fs.readFileSync(path.join(ROOT, ".github", "dependabot.yml"), "utf8"));
  const ecosystem = (name: string) => config.updates.find((update: { "package-ecosystem": string }) => update["package-ecosystem"] === name);

  it("keeps the pinned actions and the npm dependencies up to date, weekly", () => {
    expect(config.version).toBe(2);
    for (const name of ["github-actions", "npm"]) {
      expect(ecosystem(name)).toMatchObject({ directory: "/", schedule: { interval: "weekly" } });
      expect(ecosystem(name)["open-pull-requests-limit"]).toBeLessThanOrEqual(5);
      expect(ecosystem(name)["commit-message"].prefix).toEqual(expect.any(String));
    }
    expect(ecosystem("npm").groups.cdktf.patterns).toEqual(expect.arrayContaining(["cdktf", "@cdktf/*"]));
  });
});
