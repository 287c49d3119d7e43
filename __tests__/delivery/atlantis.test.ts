import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { atlantisConfig, stackDirectory } from "../../modules/delivery/atlantis-config";
import {
  ALLOWED_COMMANDS,
  APPLY_REQUIREMENTS,
  ATLANTIS_REPOSITORY,
  ATLANTIS_SERVERS,
  ATLANTIS_WORKFLOW,
  AtlantisServer,
  INSTALL_AND_SYNTHESIZE,
  profileStep,
} from "../../modules/delivery/atlantis-server-config";
import { AWS_CONFIG_FILE, renderAtlantisYaml, renderAwsConfig, renderRepoConfigYaml, repoConfigFile } from "../../modules/delivery/atlantis-yaml";
import { BOOTSTRAP_LAYERS, identityRoleArn } from "../../stacks/naming";
import { synthesizedStackGraph } from "../../stacks/synthesize";
import { ENVIRONMENTS, ENVIRONMENT_NAMES, TOOLING } from "../helpers/environments";
import { StackJson, synthesizedStacks } from "../helpers/synth";

const ROOT = path.join(__dirname, "..", "..");
const COMMITTED = fs.readFileSync(path.join(ROOT, "atlantis.yaml"), "utf8");
const config = parse(COMMITTED);
const committedServer = (server: AtlantisServer) => fs.readFileSync(path.join(ROOT, repoConfigFile(server)), "utf8");
const projects: StackJson[] = config.projects;
const project = (name: string) => projects.find((candidate) => candidate.name === name)!;
const synthDir = () => process.env.PROTEOMICS_SYNTH_DIR!;

/** Keys Atlantis accepts in a server-side repo entry (runatlantis.io/docs/server-side-repo-config.md). */
const SERVER_REPO_KEYS = ["id", "branch", "repo_config_file", "plan_requirements", "apply_requirements", "import_requirements", "workflow", "allowed_overrides", "allowed_workflows", "allow_custom_workflows", "delete_source_branch_on_merge", "repo_locking", "repo_locks", "custom_policy_check", "pre_workflow_hooks", "post_workflow_hooks", "policy_check", "autodiscover", "silence_pr_comments"];
/** Keys Atlantis accepts in a repo-level config and in a project (server/core/config/raw of Atlantis 0.3x). */
const TOP_LEVEL_KEYS = ["version", "projects", "workflows", "policies", "autodiscover", "automerge", "parallel_apply", "parallel_plan", "delete_source_branch_on_merge", "emoji_reaction", "allowed_regexp_prefixes", "abort_on_execution_order_fail", "repo_locks", "silence_pr_comments"];
const PROJECT_KEYS = ["name", "branch", "dir", "workspace", "workflow", "terraform_distribution", "terraform_version", "autoplan", "plan_requirements", "apply_requirements", "import_requirements", "depends_on", "delete_source_branch_on_merge", "repo_locking", "repo_locks", "execution_order_group", "policy_check", "custom_policy_check", "silence_pr_comments"];

/** True when a `when_modified` pattern (a path, or `<dir>/*.ts`) matches at least one file of the repository. */
function matchesAFile(pattern: string): boolean {
  if (!pattern.includes("*")) return fs.existsSync(path.join(ROOT, pattern));
  const directory = path.join(ROOT, path.dirname(pattern));
  const suffix = path.basename(pattern).replace("*", "");
  return fs.existsSync(directory) && fs.readdirSync(directory).some((name) => name.endsWith(suffix));
}

describe("atlantis.yaml", () => {
  it("is what `npm run atlantis` generates from the stacks now (run `npm run generate` and commit when this fails)", () => {
    expect(COMMITTED).toBe(renderAtlantisYaml(ROOT, synthDir(), ENVIRONMENTS, TOOLING));
  });

  it("is an Atlantis repo config (version 3) with only keys Atlantis knows", () => {
    expect(config.version).toBe(3);
    expect(Object.keys(config).filter((key) => !TOP_LEVEL_KEYS.includes(key))).toEqual([]);
    for (const entry of projects) expect(Object.keys(entry).filter((key) => !PROJECT_KEYS.includes(key))).toEqual([]);
    expect(config.allowed_regexp_prefixes).toEqual(ENVIRONMENT_NAMES.map((name) => `${name}-`));
  });

  it("has exactly one project per workload environment's stack, except the bootstrap layers (state, identity) applied by hand", () => {
    const stacks = synthesizedStackGraph(synthDir()).map((stack) => stack.name);
    const managed = (name: string) => ENVIRONMENT_NAMES.some((environment) => name.startsWith(`${environment}-`)) && !BOOTSTRAP_LAYERS.some((layer) => name.endsWith(`-${layer}`));
    expect(projects.map((entry) => entry.name).sort()).toEqual(stacks.filter(managed).sort());
    // The tooling environment's stacks are not projects: Atlantis does not apply the account it runs in.
    expect(stacks.filter((name) => name.startsWith(`${TOOLING.name}-`))).toHaveLength(6);
    expect(new Set(projects.map((entry) => entry.name)).size).toBe(projects.length);
  });

  it("runs every project from the repository root on a synthesized stack directory, and lists projects only", () => {
    for (const entry of projects) {
      expect(entry.dir).toBe(".");
      expect(fs.existsSync(path.join(synthDir(), "stacks", entry.name, "cdk.tf.json"))).toBe(true);
      // A project that chose its workflow or its requirements would need the server to allow overrides: it does not.
      expect([entry.name, entry.workflow, entry.apply_requirements, entry.plan_requirements]).toEqual([entry.name, undefined, undefined, undefined]);
    }
    expect(config.workflows).toBeUndefined();
  });

  it("orders every project after the stacks it reads outputs of, and each environment after the previous one", () => {
    for (const name of ENVIRONMENT_NAMES) {
      for (const [stackName, json] of Object.entries(synthesizedStacks(name))) {
        if (BOOTSTRAP_LAYERS.some((layer) => stackName.endsWith(`-${layer}`))) continue;
        const reads = Object.keys(json.data?.terraform_remote_state ?? {})
          .map((input) => input.replace("cross-stack-reference-input-", ""))
          .filter((stack) => !stack.endsWith("-state"));
        expect(project(stackName).depends_on ?? []).toEqual(expect.arrayContaining(reads));
        for (const dependency of project(stackName).depends_on ?? []) {
          expect(project(dependency).execution_order_group).toBeLessThan(project(stackName).execution_order_group);
        }
      }
    }
    // The platform stack reads nothing from the apps stack's inputs but must precede it (namespace, NodePool, store).
    expect(project(`${ENVIRONMENT_NAMES[0]}-apps`).depends_on).toContain(`${ENVIRONMENT_NAMES[0]}-platform`);
    const groups = (environment: string) => projects.filter((entry) => entry.name.startsWith(`${environment}-`)).map((entry) => entry.execution_order_group);
    for (let index = 1; index < ENVIRONMENT_NAMES.length; index++) {
      expect(Math.min(...groups(ENVIRONMENT_NAMES[index]))).toBeGreaterThan(Math.max(...groups(ENVIRONMENT_NAMES[index - 1])));
    }
    expect(config.abort_on_execution_order_fail).toBe(true);
  });

  it("autoplans a project when its stack, its modules, its environment file, its data files or the lockfile change", () => {
    for (const entry of projects) {
      const [environment, layer] = entry.name.split("-");
      const watched: string[] = entry.autoplan.when_modified;
      expect(entry.autoplan.enabled).toBe(true);
      expect(watched).toEqual(expect.arrayContaining([`stacks/${layer}-stack.ts`, `environments/${environment}.ts`, "environments/schema.ts", "package-lock.json"]));
      for (const other of ENVIRONMENT_NAMES.filter((name) => name !== environment)) expect(watched).not.toContain(`environments/${other}.ts`);
      // Every pattern names existing files, except an environment's helm-values overrides, watched before they exist.
      const existing = watched.filter((pattern) => !pattern.startsWith(`helm-values/${environment}/`));
      for (const pattern of existing) expect([pattern, matchesAFile(pattern)]).toEqual([pattern, true]);
    }
    expect(project("dev-apps").autoplan.when_modified).toContain("modules/apps/*.ts");
    expect(project("dev-network").autoplan.when_modified).not.toContain("modules/apps/*.ts");
    expect(project("prod-platform").autoplan.when_modified).toEqual(expect.arrayContaining(["helm-values/*.yaml", "helm-values/prod/*.yaml"]));
    expect(project("prod-data").autoplan.when_modified.some((pattern: string) => pattern.startsWith("helm-values"))).toBe(false);
    // A change to the validation function's code changes the pipeline's plan (its zip and source_code_hash).
    expect(project("prod-pipeline").autoplan.when_modified).toContain("functions/validate-analysis-input/*");
    expect(project("prod-data").autoplan.when_modified.filter((pattern: string) => pattern.startsWith("functions/"))).toEqual(["functions/warehouse-setup/*"]);
    // A new migration plans the apps stacks (their migrations job's ConfigMap and name change).
    expect(project("prod-apps").autoplan.when_modified).toEqual(expect.arrayContaining(["migrations/metrics/*", "warehouse/dashboard/*"]));
  });

  it("refuses a dependency cycle between stacks", () => {
    const cyclic = [
      { name: "dev-network", dependencies: ["dev-data"] },
      { name: "dev-data", dependencies: ["dev-network"] },
    ];
    expect(() => atlantisConfig(ROOT, cyclic, [{ name: "dev" }])).toThrow("Stack dependency cycle: dev-network -> dev-data -> dev-network");
  });
});

describe.each(ATLANTIS_SERVERS)("the Atlantis %s's repo config", (name) => {
  const server = parse(committedServer(name));
  const repo = server.repos[0];
  const steps = (phase: string) => server.workflows[ATLANTIS_WORKFLOW][phase].steps as StackJson[];
  const runs = (phase: string) => steps(phase).filter((step) => step.run).map((step) => step.run);
  const terraform = `terraform -chdir=${stackDirectory("$PROJECT_NAME")}`;

  it("is what `npm run atlantis` generates (run `npm run generate` and commit when this fails)", () => {
    expect(committedServer(name)).toBe(renderRepoConfigYaml(name));
  });

  it("serves this repository's pull requests into main, with only keys Atlantis knows", () => {
    expect(server.repos).toHaveLength(1);
    expect(Object.keys(server).sort()).toEqual(["repos", "workflows"]);
    expect(Object.keys(repo).filter((key) => !SERVER_REPO_KEYS.includes(key))).toEqual([]);
    expect(repo).toMatchObject({ id: ATLANTIS_REPOSITORY, branch: "/^main$/" });
  });

  it("lets no pull request change its workflow or its requirements: no overrides, no custom workflows", () => {
    expect(repo).toMatchObject({ allowed_overrides: [], allow_custom_workflows: false, workflow: ATLANTIS_WORKFLOW, allowed_workflows: [ATLANTIS_WORKFLOW] });
    expect(Object.keys(server.workflows)).toEqual([ATLANTIS_WORKFLOW]);
  });

  it("applies (and imports) only approved, mergeable, up-to-date pull requests", () => {
    expect(repo.apply_requirements).toEqual([...APPLY_REQUIREMENTS]);
    expect(repo.import_requirements).toEqual([...APPLY_REQUIREMENTS]);
    expect(APPLY_REQUIREMENTS).toEqual(["approved", "mergeable", "undiverged"]);
  });

  it("runs Terraform with the environment's profile of this server's role, and applies exactly the saved plan", () => {
    expect(steps("plan")).toContainEqual(profileStep(name));
    expect(steps("apply")).toContainEqual(profileStep(name));
    expect(profileStep(name).env.command).toBe(`echo "\${PROJECT_NAME%%-*}-${name === "planner" ? "plan" : "deploy"}"`);
    expect(runs("plan").slice(-2)).toEqual([`${terraform} init -input=false`, `${terraform} plan -input=false -out=$PLANFILE`]);
    expect(runs("apply").slice(-2)).toEqual([`${terraform} init -input=false`, `${terraform} apply -input=false $PLANFILE`]);
    expect(INSTALL_AND_SYNTHESIZE).toContain("npm ci --ignore-scripts");
    expect(INSTALL_AND_SYNTHESIZE).toContain("npm run synth");
  });

  if (name === "planner") {
    it("installs and synthesizes once per command in a hook, and cannot apply", () => {
      expect(repo.pre_workflow_hooks.map((hook: StackJson) => hook.run)).toEqual([INSTALL_AND_SYNTHESIZE]);
      expect(repo.plan_requirements).toBeUndefined();
      expect(ALLOWED_COMMANDS.planner).not.toContain("apply");
      expect(JSON.stringify(server.workflows)).not.toContain("npm");
    });
  } else {
    it("runs nothing of a pull request before its requirements pass: no hook, requirements on plan, synthesis inside the steps", () => {
      // Atlantis runs pre-workflow hooks before it checks any requirement (server/events/command_runner.go).
      expect(repo.pre_workflow_hooks).toBeUndefined();
      expect(repo.plan_requirements).toEqual([...APPLY_REQUIREMENTS]);
      expect(runs("plan")[0]).toBe(INSTALL_AND_SYNTHESIZE);
      expect(runs("apply")[0]).toBe(INSTALL_AND_SYNTHESIZE);
    });
  }
});

describe("the Atlantis servers' AWS profiles (atlantis-server/aws-config)", () => {
  const committed = fs.readFileSync(path.join(ROOT, AWS_CONFIG_FILE), "utf8");

  it("is what `npm run atlantis` generates (run `npm run generate` and commit when this fails)", () => {
    expect(committed).toBe(renderAwsConfig(ENVIRONMENTS));
  });

  it.each(ENVIRONMENT_NAMES)("%s: a plan and a deploy profile, each assuming the identity stack's role from the task's credentials", (name) => {
    const env = ENVIRONMENTS.find((candidate) => candidate.name === name)!;
    for (const role of ["plan", "deploy"] as const) {
      const section = committed.split(/\n\n+/).find((block) => block.includes(`[profile ${name}-${role}]`))!;
      expect(section).toContain(`role_arn = ${identityRoleArn(env, role)}`);
      expect(section).toContain("credential_source = EcsContainer");
      expect(section).toContain(`region = ${env.region}`);
    }
  });
});

describe("the platform team's approval", () => {
  it("names the approvers: the platform team of the repository's organization, the applier's deploy team, owns every file", () => {
    const rules = fs
      .readFileSync(path.join(ROOT, ".github", "CODEOWNERS"), "utf8")
      .split("\n")
      .filter((line) => line.trim() && !line.startsWith("#"));
    const organization = ATLANTIS_REPOSITORY.split("/")[1];
    expect(rules).toEqual([`* @${organization}/${TOOLING.atlantis.deployTeam}`]);
  });
});
