import * as fs from "node:fs";
import * as path from "node:path";
import { BOOTSTRAP_LAYERS } from "../../stacks/naming";
import { synthesizedStackGraph } from "../../stacks/synthesize";
import { ENVIRONMENT_NAMES, TOOLING } from "../helpers/environments";
import { resourcesOf, synthesizedStacks } from "../helpers/synth";

const ROOT = path.join(__dirname, "..", "..");
const GUIDES = { en: "docs/provisioning.md", "pt-BR": "docs/pt-BR/provisioning.md" } as const;
type Language = keyof typeof GUIDES;
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** What every step says, in each language. */
const STEP_PARTS: Readonly<Record<Language, readonly string[]>> = {
  en: ["**Creates**", "**Runs from**", "**Expected outputs**", "**Verify**", "**Roll back**"],
  "pt-BR": ["**Cria**", "**Executado de**", "**Saídas esperadas**", "**Verificar**", "**Desfazer**"],
};
/** What every sub-step of Step 0 says: where it runs from, how to roll it back. */
const SUB_STEP_PARTS: Readonly<Record<Language, readonly string[]>> = {
  en: ["**Runs from**", "**Roll back**"],
  "pt-BR": ["**Executado de**", "**Desfazer**"],
};

/** The environment the guide's text names, and the value its variables block gives `ENV`. */
const EXAMPLE = ENVIRONMENT_NAMES[0];

/**
 * The guide with its environment variable resolved to the example environment: commands say `$ENV-network` or
 * `${ENV}-network`, Atlantis comments `atlantis plan -p <env>-network` (a comment on a pull request has no shell).
 */
const resolved = (markdown: string) => markdown.replace(/\$\{ENV\}|\$ENV\b/g, EXAMPLE).replace(/ -p <env>-/g, ` -p ${EXAMPLE}-`);

/** Every synthesized stack of the run's global synthesis, with the stacks it depends on. */
const DEPENDENCIES = new Map(synthesizedStackGraph(process.env.PROTEOMICS_SYNTH_DIR!).map((stack) => [stack.name, stack.dependencies]));
const STACKS = [...DEPENDENCIES.keys()];
/** The layers of an environment: its synthesized stacks' names without the `<env>-` prefix. */
const layersOf = (environment: string) => STACKS.filter((stack) => stack.startsWith(`${environment}-`)).map((stack) => stack.slice(environment.length + 1));
/** The workload layers (state, identity, network, …), from the synthesized stacks of the guide's environment. */
const LAYERS = layersOf(EXAMPLE);
/** The stacks that depend on `stack`. */
const dependantsOf = (stack: string) => STACKS.filter((candidate) => DEPENDENCIES.get(candidate)!.includes(stack));
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** `text` as a whole stack name: not part of a longer name (`tooling-platform-admin` does not mention `tooling-platform`). */
const stackPattern = (alternatives: string, flags = "g") => new RegExp(`(?<![\\w-])(${alternatives})(?![\\w-])`, flags);

/** The commands of the guide's code blocks, without comments and blank lines, in order. */
function commands(markdown: string): string[] {
  return [...markdown.matchAll(/```(?:bash|sh)\n([\s\S]*?)```/g)]
    .flatMap((block) => block[1].split("\n"))
    .map((line) => line.replace(/\s+#\s.*$/, "").trimEnd())
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));
}

/** The sections of the guide at a heading level (`## ` or `### `), each with its text. */
function sections(markdown: string, marker = "## "): { heading: string; body: string }[] {
  return markdown
    .split(new RegExp(`^${marker}`, "m"))
    .slice(1)
    .map((part) => ({ heading: part.slice(0, part.indexOf("\n")), body: part }));
}

/**
 * Kubernetes' own resources the guide queries (names and short names): fixed by the Kubernetes API, not by our stacks.
 * Any other kind must be a custom resource the stacks create, or one their controllers make from them.
 */
const BUILT_IN_RESOURCES = ["nodes", "pods", "jobs", "deploy", "ns", "networkpolicies", "ingress", "hpa", "pdb", "rolebindings", "clusterrolebindings", "events", "svc"];
/** Karpenter makes a NodeClaim for each node it launches from the stacks' NodePools. */
const CONTROLLER_MADE = ["nodeclaims"];
/** The resources (plural, lower case) of every custom object the example environment's stacks apply. */
const customResources = () =>
  Object.values(synthesizedStacks(EXAMPLE)).flatMap((stack) =>
    Object.values(resourcesOf(stack, "kubernetes_manifest")).map((resource) => {
      const kind = (resource.manifest.kind as string).toLowerCase();
      return kind.endsWith("y") ? `${kind.slice(0, -1)}ies` : kind.endsWith("s") ? `${kind}es` : `${kind}s`;
    }),
  );

/** Each `npm run cdktf -- <verb> <stack>` of the text, in order, with the rest of its line. */
function cdktfRuns(text: string, verb: "deploy" | "destroy"): { stack: string; line: string }[] {
  return [...text.matchAll(new RegExp(`npm run cdktf -- ${verb} ([\\w-]+)([^\\n]*)`, "g"))].map((match) => ({ stack: match[1], line: match[0] }));
}

describe("the layers the guide follows", () => {
  it("are the same in every workload environment and include the bootstrap layers", () => {
    expect(LAYERS.length).toBeGreaterThan(BOOTSTRAP_LAYERS.length);
    for (const name of ENVIRONMENT_NAMES) expect([name, layersOf(name).sort()]).toEqual([name, [...LAYERS].sort()]);
    for (const layer of BOOTSTRAP_LAYERS) expect(LAYERS).toContain(layer);
  });
});

describe.each(Object.entries(GUIDES) as [Language, string][])("the provisioning guide (%s)", (language, file) => {
  const guide = resolved(read(file));
  const steps = sections(guide).filter(({ heading }) => /^(Step|Passo) [1-9]/.test(heading));
  const stepLayers = steps.map(({ heading }) => heading.match(/`<env>-(\w+)`/)?.[1]);
  const step0 = sections(guide).find(({ heading }) => /^(Step|Passo) 0\b/.test(heading));

  it("has one numbered step per workload layer, the bootstrap layers first, each after the layers its stack depends on", () => {
    expect([...stepLayers].sort()).toEqual([...LAYERS].sort());
    expect(stepLayers.slice(0, BOOTSTRAP_LAYERS.length)).toEqual([...BOOTSTRAP_LAYERS]);
    expect(steps.map(({ heading }) => Number(heading.match(/\d+/)![0]))).toEqual(stepLayers.map((_layer, index) => index + 1));
    for (const [index, layer] of stepLayers.entries()) {
      const earlier = stepLayers.slice(0, index).map((previous) => `${EXAMPLE}-${previous}`);
      const missing = DEPENDENCIES.get(`${EXAMPLE}-${layer}`)!.filter((dependency) => !earlier.includes(dependency));
      expect([layer, missing]).toEqual([layer, []]);
    }
  });

  it("says in every step what it creates, where it runs from, the outputs, how to verify and how to roll back", () => {
    for (const step of steps) {
      for (const part of STEP_PARTS[language]) expect([step.heading, part, step.body.includes(part)]).toEqual([step.heading, part, true]);
    }
  });

  it("gives every layer's deploy command and, but for the bootstrap layers, the planner's and the applier's commands", () => {
    for (const [index, step] of steps.entries()) {
      const layer = stepLayers[index]!;
      const stack = `${EXAMPLE}-${layer}`;
      expect([stack, stackPattern(`npm run cdktf -- deploy ${escape(stack)}`, "").test(step.body)]).toEqual([stack, true]);
      const atlantis = [`atlantis plan -p ${stack}`, `deploy plan -p ${stack}`, `deploy apply -p ${stack}`];
      const applied = (BOOTSTRAP_LAYERS as readonly string[]).includes(layer) ? [] : atlantis;
      expect([stack, atlantis.filter((command) => step.body.includes(command))]).toEqual([stack, applied]);
    }
  });

  it("builds every tooling stack in Step 0, each after the stacks it depends on, each sub-step saying where it runs from and how to roll back", () => {
    expect(step0).toBeDefined();
    const toolingStacks = STACKS.filter((stack) => stack.startsWith(`${TOOLING.name}-`));
    expect(toolingStacks.length).toBeGreaterThan(0);
    const firstDeploy = (stack: string) => step0!.body.search(stackPattern(`npm run cdktf -- deploy ${escape(stack)}`, ""));
    for (const stack of toolingStacks) {
      expect([stack, firstDeploy(stack) >= 0]).toEqual([stack, true]);
      for (const dependency of DEPENDENCIES.get(stack)!) expect([stack, dependency, firstDeploy(dependency) < firstDeploy(stack)]).toEqual([stack, dependency, true]);
    }
    const subSteps = sections(step0!.body, "### ");
    expect(subSteps.length).toBeGreaterThan(toolingStacks.length);
    for (const subStep of subSteps) {
      for (const part of SUB_STEP_PARTS[language]) expect([subStep.heading, part, subStep.body.includes(part)]).toEqual([subStep.heading, part, true]);
    }
  });

  it("deploys or destroys a single stack with cdktf only where cdktf accepts it", () => {
    // `cdktf deploy` refuses a stack whose dependencies are not in the same command, `cdktf destroy` one whose dependants are not.
    const runs = [
      ...cdktfRuns(guide, "deploy").map((run) => ({ ...run, others: DEPENDENCIES.get(run.stack) ?? [] })),
      ...cdktfRuns(guide, "destroy").map((run) => ({ ...run, others: dependantsOf(run.stack) })),
    ];
    expect(runs.length).toBeGreaterThan(LAYERS.length);
    for (const { stack, line, others } of runs) {
      expect([line, DEPENDENCIES.has(stack)]).toEqual([line, true]);
      if (others.length > 0) expect([line, line.includes("--ignore-missing-stack-dependencies")]).toEqual([line, true]);
    }
  });

  it("runs the CDKTF CLI only as `npm run cdktf --` (telemetry off), as do the other documents", () => {
    const documents = ["README.md", "docs/delivery.md", ...Object.values(GUIDES)];
    for (const document of documents) {
      const cdktfCommands = commands(read(document)).filter((line) => /\bcdktf\s/.test(line));
      expect([document, cdktfCommands.filter((line) => !line.includes("npm run cdktf -- "))]).toEqual([document, []]);
      expect([document, read(document).includes("npx cdktf")]).toEqual([document, false]);
    }
    expect(commands(guide).filter((line) => line.includes("npm run cdktf -- ")).length).toBeGreaterThan(LAYERS.length);
  });

  it("mentions only stacks that exist and npm scripts that exist", () => {
    const environments = [...ENVIRONMENT_NAMES, TOOLING.name];
    const layers = [...new Set(environments.flatMap(layersOf))];
    const mentioned = [...guide.matchAll(stackPattern(`(?:${environments.join("|")})-(?:${layers.join("|")})`))].map((match) => match[1]);
    expect(mentioned.length).toBeGreaterThan(20);
    expect([...new Set(mentioned)].filter((stack) => !STACKS.includes(stack))).toEqual([]);
    for (const stack of STACKS.filter((name) => name.startsWith(`${TOOLING.name}-`) || name.startsWith(`${EXAMPLE}-`))) expect(mentioned).toContain(stack);
    const scripts = Object.keys(JSON.parse(read("package.json")).scripts);
    const runs = [...guide.matchAll(/npm run ([\w:-]+)/g)].map((match) => match[1]);
    expect(runs.length).toBeGreaterThan(0);
    expect([...new Set(runs)].filter((script) => !scripts.includes(script))).toEqual([]);
  });

  it("queries with kubectl only Kubernetes' own resources and the custom resources the stacks create", () => {
    const known = [...BUILT_IN_RESOURCES, ...CONTROLLER_MADE, ...customResources()];
    const queried = [...guide.matchAll(/kubectl(?: -n [\w-]+)? get ([\w.,-]+)/g)].flatMap((match) => match[1].split(",")).map((name) => name.split(".")[0]);
    expect(queried.length).toBeGreaterThan(10);
    const unknown = queried.filter((name) => ![name, `${name}s`, `${name}es`].some((candidate) => known.includes(candidate)));
    expect([...new Set(unknown)]).toEqual([]);
  });

  it("starts Step 0 from empty accounts: the accounts, sign-in and the bootstrap, the EC2 quotas, the DNS zones, before the tooling stacks", () => {
    const subSteps = sections(step0!.body, "### ");
    const firstTooling = subSteps.findIndex(({ body }) => /npm run cdktf -- deploy tooling-/.test(body));
    const needles = ["aws organizations create-account", "aws sso-admin create-permission-set", "identityCenterPermissionSets", "request-service-quota-increase", "aws route53 create-hosted-zone"];
    for (const needle of needles) {
      const index = subSteps.findIndex(({ body }) => body.includes(needle));
      expect([needle, index >= 0 && index < firstTooling]).toEqual([needle, true]);
    }
  });

  it("leaves no SQL to paste: the schema and the warehouse's objects are applied by the deploy", () => {
    expect(guide).not.toMatch(/```sql/);
    expect(guide).not.toMatch(/\b(CREATE (DATABASE|USER|TABLE|MATERIALIZED VIEW)|GRANT (USAGE|EXECUTE|SELECT))\b/);
  });

  it("covers the post-deploy steps and the known failure modes", () => {
    const needles = [
      "migrations/metrics/migrate.sh",
      "warehouse-setup",
      "svv_integration_table_state",
      "docker push",
      "start-execution",
      "put-secret-value",
      "--force-new-deployment",
      "Error acquiring the state lock",
      "NodeCreationFailure",
      "DEGRADED",
      "found existing JobQueue relationship",
      "sh.helm.release",
      "pending-acceptance",
      "AWSCURRENT",
      "platform-engineering",
    ];
    for (const needle of needles) expect([needle, guide.includes(needle)]).toEqual([needle, true]);
  });

  it("tears down each stack before the stacks it depends on, identity after every other stack of the environment, tooling last", () => {
    const teardown = sections(guide).at(-1)!;
    expect(teardown.heading).toMatch(/Teardown|Desmontagem/);
    const destroyed = cdktfRuns(teardown.body, "destroy").map(({ stack }) => stack);
    for (const [index, stack] of destroyed.entries()) {
      const destroyedBefore = destroyed.slice(0, index);
      const dependantsLeft = dependantsOf(stack).filter((dependant) => destroyed.includes(dependant) && !destroyedBefore.includes(dependant));
      expect([stack, dependantsLeft]).toEqual([stack, []]);
    }
    const workloadStacks = destroyed.filter((stack) => stack.startsWith(`${EXAMPLE}-`));
    expect(workloadStacks.at(-1)).toBe(`${EXAMPLE}-identity`);
    // Every stack of the environment by command but the one with no dependency (the state stack), which holds the others' state.
    const first = STACKS.filter((name) => name.startsWith(`${EXAMPLE}-`) && DEPENDENCIES.get(name)!.length === 0);
    expect([...workloadStacks, ...first].sort()).toEqual(LAYERS.map((layer) => `${EXAMPLE}-${layer}`).sort());
    // The last item tears the tooling account down, every stack of it, after every environment.
    const lastItem = teardown.body.split(/^\d+\. /m).at(-1)!;
    for (const stack of STACKS.filter((name) => name.startsWith(`${TOOLING.name}-`))) expect([stack, lastItem.includes(`\`${stack}\``)]).toEqual([stack, true]);
    expect(cdktfRuns(lastItem, "destroy").filter(({ stack }) => !stack.startsWith(`${TOOLING.name}-`))).toEqual([]);
  });
});

describe("the Portuguese provisioning guide", () => {
  it("keeps in step with the English one: same sections, same sub-steps and the same commands", () => {
    const english = read(GUIDES.en);
    const portuguese = read(GUIDES["pt-BR"]);
    expect(sections(portuguese).length).toBe(sections(english).length);
    expect([...portuguese.matchAll(/^### /gm)].length).toBe([...english.matchAll(/^### /gm)].length);
    expect(commands(portuguese)).toEqual(commands(english));
  });
});
