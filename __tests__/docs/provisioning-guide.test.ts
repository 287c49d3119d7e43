import * as fs from "node:fs";
import * as path from "node:path";
import { synthesizedStacks } from "../helpers/synth";
import { ENVIRONMENT_NAMES } from "../helpers/environments";

const ROOT = path.join(__dirname, "..", "..");
const GUIDES = { en: "docs/provisioning.md", "pt-BR": "docs/pt-BR/provisioning.md" } as const;
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const LAYERS = ["state", "network", "data", "cluster", "platform", "pipeline", "apps"];
/** What every step says, in each language. */
const STEP_PARTS = {
  en: ["**Creates**", "**Expected outputs**", "**Verify**", "**Roll back**"],
  "pt-BR": ["**Cria**", "**Saídas esperadas**", "**Verificar**", "**Desfazer**"],
} as const;

/** The commands of the guide's code blocks, without comments and blank lines, in order. */
function commands(markdown: string): string[] {
  return [...markdown.matchAll(/```(?:bash|sh)\n([\s\S]*?)```/g)]
    .flatMap((block) => block[1].split("\n"))
    .map((line) => line.replace(/\s+#\s.*$/, "").trimEnd())
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));
}

/** The `##` sections of the guide, each with its text. */
function sections(markdown: string): { heading: string; body: string }[] {
  return markdown
    .split(/^## /m)
    .slice(1)
    .map((part) => ({ heading: part.slice(0, part.indexOf("\n")), body: part }));
}

describe.each(Object.entries(GUIDES))("the provisioning guide (%s)", (language, file) => {
  const guide = read(file);
  const stacks = new Set(ENVIRONMENT_NAMES.flatMap((name) => Object.keys(synthesizedStacks(name))));
  // Step 0 installs and synthesizes; steps 1 to 7 deploy one stack each.
  const steps = sections(guide).filter(({ heading }) => /^(Step|Passo) [1-9]/.test(heading));

  it("has one numbered step per layer, in dependency order, each saying what it creates, the outputs, how to verify and roll back", () => {
    expect(steps.map(({ heading }) => heading.match(/`<env>-(\w+)`/)?.[1])).toEqual(LAYERS);
    expect(steps.map(({ heading }) => Number(heading.match(/\d+/)![0]))).toEqual(LAYERS.map((_layer, index) => index + 1));
    for (const step of steps) {
      for (const part of STEP_PARTS[language as keyof typeof STEP_PARTS]) expect([step.heading, step.body.includes(part)]).toEqual([step.heading, true]);
    }
  });

  it("gives for every stack the deploy command and, past the state stack, the Atlantis equivalent", () => {
    for (const [index, step] of steps.entries()) {
      const layer = LAYERS[index];
      expect(step.body).toMatch(new RegExp(`npx cdktf deploy dev-${layer}|apply -target|terraform -chdir=cdktf.out/stacks/dev-${layer}`));
      if (layer !== "state") expect(step.body).toContain(`atlantis plan -p dev-${layer}`);
    }
  });

  it("mentions only stacks that exist and npm scripts that exist", () => {
    const mentioned = [...guide.matchAll(/\b((?:dev|staging|prod)-(?:state|network|data|cluster|platform|pipeline|apps))\b/g)].map((match) => match[1]);
    expect(mentioned.length).toBeGreaterThan(20);
    expect([...new Set(mentioned)].filter((stack) => !stacks.has(stack))).toEqual([]);
    const scripts = Object.keys(JSON.parse(read("package.json")).scripts);
    const runs = [...guide.matchAll(/npm run ([\w:-]+)/g)].map((match) => match[1]);
    expect(runs.length).toBeGreaterThan(0);
    expect([...new Set(runs)].filter((script) => !scripts.includes(script))).toEqual([]);
  });

  it("covers the post-deploy steps, teardown and the known failure modes", () => {
    for (const needle of ["CREATE DATABASE metrics_zeroetl FROM INTEGRATION", "CREATE MATERIALIZED VIEW", "docker push", "start-execution", "Error acquiring the state lock", "NodeCreationFailure", "DEGRADED", "found existing JobQueue relationship"]) {
      expect([needle, guide.includes(needle)]).toEqual([needle, true]);
    }
    expect(sections(guide).at(-1)!.heading).toMatch(/Teardown|Desmontagem/);
  });
});

describe("the Portuguese provisioning guide", () => {
  it("keeps in step with the English one: same sections and the same commands", () => {
    const english = read(GUIDES.en);
    const portuguese = read(GUIDES["pt-BR"]);
    expect(sections(portuguese).length).toBe(sections(english).length);
    expect([...portuguese.matchAll(/^### /gm)].length).toBe([...english.matchAll(/^### /gm)].length);
    expect(commands(portuguese)).toEqual(commands(english));
  });
});
