import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { discoverEnvironments, loadEnvironments } from "../../environments";
import { guardrailViolations } from "../../modules/guardrails/guardrail-report";
import { atlantisConfig } from "../../modules/delivery/atlantis-config";
import { ENVIRONMENT_TABLE_SECTIONS, renderEnvironmentTables } from "../../modules/docs/environment-tables";
import { createStacks, loadStackDependencies } from "../../stacks";
import { synthesizedStackGraph } from "../../stacks/synthesize";
import { StackJson, globalSynthesisDir, synthesizedStacks } from "../helpers/synth";

// Adding an environment is one new file: a throwaway `qa` next to the committed environments, in a copy of the
// repository's tree (symlinks, so nothing of the repository is touched), gets its stacks, its Atlantis projects, its
// peering and its Atlantis roles, and passes the guardrails. Only qa and the tooling environment (whose stacks serve
// every environment) are synthesized here: the committed environments' stacks are the run's global synthesis.

const ROOT = path.join(__dirname, "..", "..");
const QA = `import { dev } from "./dev";
import { EnvironmentInput } from "./schema";

export const qa = {
  ...dev,
  name: "qa",
  tier: "staging",
  awsAccountId: "123412341234",
  state: { ...dev.state, bucketName: "proteomics-qa-tfstate-123412341234" },
  apps: { ...dev.apps, domain: "qa.proteomics.example.com" },
  network: { ...dev.network, vpcCidr: "10.50.0.0/16" },
} satisfies EnvironmentInput;
`;

/** A tree beside the repository's: its directories linked, `environments/` a real directory of links plus qa.ts. */
function treeWithQa(): string {
  const tree = fs.mkdtempSync(path.join(os.tmpdir(), "new-environment-"));
  for (const entry of fs.readdirSync(ROOT).filter((name) => !["environments", ".git", "cdktf.out"].includes(name))) {
    fs.symlinkSync(path.join(ROOT, entry), path.join(tree, entry));
  }
  const environments = path.join(tree, "environments");
  fs.mkdirSync(environments);
  for (const file of fs.readdirSync(path.join(ROOT, "environments"))) fs.symlinkSync(path.join(ROOT, "environments", file), path.join(environments, file));
  fs.writeFileSync(path.join(environments, "qa.ts"), QA);
  return tree;
}

describe("a new environment", () => {
  const tree = treeWithQa();
  const loaded = loadEnvironments(discoverEnvironments(path.join(tree, "environments")));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "new-environment-out-"));
  let stacks: string[] = [];
  let violations: string[] = [];
  let tooling: StackJson = {};

  beforeAll(async () => {
    const app = Testing.app({ outdir });
    const qa = loaded.workloads.filter((env) => env.name === "qa");
    createStacks(app, loaded, await loadStackDependencies(), [...qa, ...(loaded.tooling ? [loaded.tooling] : [])]);
    app.synth();
    violations = guardrailViolations(app).map((violation) => `${violation.stack} ${violation.address}: ${violation.ruleId}`);
    stacks = fs.readdirSync(path.join(outdir, "stacks"));
    tooling = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "tooling-atlantis", "cdk.tf.json"), "utf8"));
  });
  afterAll(() => {
    fs.rmSync(tree, { recursive: true, force: true });
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it("is discovered from its file, in promotion order (by tier, then name)", () => {
    expect(loaded.workloads.map((env) => env.name)).toEqual(["dev", "qa", "staging", "prod"]);
  });

  it("gets every layer's stack, and they pass the guardrails", () => {
    const layers = Object.keys(synthesizedStacks("dev")).map((name) => name.slice("dev-".length));
    expect(stacks.filter((name) => name.startsWith("qa-")).sort()).toEqual(layers.map((layer) => `qa-${layer}`).sort());
    expect(violations).toEqual([]);
  });

  it("is peered with the tooling VPC and its roles are Atlantis's to assume", () => {
    const peering = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "tooling-peering", "cdk.tf.json"), "utf8"));
    const owners = Object.values(peering.data.aws_vpc_peering_connections as Record<string, StackJson>).map(
      (lookup) => lookup.filter.find((filter: StackJson) => filter.name === "requester-vpc-info.owner-id").values[0],
    );
    expect(owners).toContain("123412341234");
    expect(JSON.stringify(tooling.resource.aws_iam_role_policy)).toContain("arn:aws:iam::123412341234:role/proteomics-qa-terraform-plan");
  });

  it("gets its Atlantis projects, after dev's and before staging's, planned when its own file changes", () => {
    const committed = synthesizedStackGraph(globalSynthesisDir()).filter((stack) => !stack.name.startsWith("tooling-"));
    const graph = [...committed, ...synthesizedStackGraph(outdir)];
    expect(graph.filter((stack) => stack.name.startsWith("tooling-")).length).toBeGreaterThan(0);
    const config = atlantisConfig(tree, graph, loaded.workloads, loaded.tooling ? [loaded.tooling] : []);
    const qaProjects = config.projects.filter((project) => project.name.startsWith("qa-"));
    expect(qaProjects.length).toBe(config.projects.filter((project) => project.name.startsWith("dev-")).length);
    const groups = (environment: string) => config.projects.filter((project) => project.name.startsWith(`${environment}-`)).map((project) => project.execution_order_group);
    expect(Math.min(...groups("qa"))).toBeGreaterThan(Math.max(...groups("dev")));
    expect(Math.min(...groups("staging"))).toBeGreaterThan(Math.max(...groups("qa")));
    for (const project of qaProjects) expect(project.autoplan.when_modified).toContain("environments/qa.ts");
    // The other environments' projects ignore it (qa's watch dev.ts too: qa.ts imports it).
    for (const project of config.projects.filter((candidate) => !candidate.name.startsWith("qa-"))) {
      expect([project.name, project.autoplan.when_modified.includes("environments/qa.ts")]).toEqual([project.name, false]);
    }
    expect(config.allowed_regexp_prefixes).toContain("qa-");
  });

  it("gets its row in every per-environment table of the architecture document", () => {
    const tables = renderEnvironmentTables(loaded);
    for (const section of ENVIRONMENT_TABLE_SECTIONS) expect([section, tables[section]]).toEqual([section, expect.stringContaining("\n| qa | ")]);
  });
});
