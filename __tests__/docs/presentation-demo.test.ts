import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { GUARDRAIL_RULES } from "../../modules/guardrails/rules";
import { SLIDE_DECKS } from "../../modules/documents/slide-deck";
import { ENVIRONMENT_NAMES } from "../helpers/environments";

// The live demo's script (docs/presentation/demo.md and its Portuguese twin) runs real commands: npm scripts that
// exist, a patch that applies to the current code and that a guardrail refuses, and Atlantis projects that exist.

const ROOT = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const SCRIPTS = { en: "docs/presentation/demo.md", "pt-BR": "docs/pt-BR/presentation/demo.md" } as const;
const PATCH = "docs/presentation/demo-imdsv1.patch";
const RULE = "launch-template-imdsv2";
/** What the synthesis of the patched code needs (and nothing it writes). */
const SOURCES = ["main.ts", "cdktf.json", "package.json", "tsconfig.json", "environments", "stacks", "modules", "scripts", "helm-values", "migrations", "functions", "warehouse", "atlantis-server", "docs/contracts"];

const packageScripts: Record<string, string> = JSON.parse(read("package.json")).scripts;
const projects: Array<{ name: string; autoplan?: { when_modified?: string[] } }> = parse(read("atlantis.yaml")).projects;

describe.each(Object.entries(SCRIPTS))("the demo script (%s)", (language, script) => {
  const text = read(script);
  const slide = read(SLIDE_DECKS[language as keyof typeof SLIDE_DECKS]);

  it("runs only npm scripts that exist", () => {
    const used = [...`${text}\n${slide}`.matchAll(/npm run ([\w:-]+)/g)].map((match) => match[1]);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((name) => !(name in packageScripts))).toEqual([]);
  });

  it("applies the committed patch, names the rule that refuses it, and the slide says the same", () => {
    for (const document of [text, slide]) {
      expect(document).toContain(`git apply ${PATCH}`);
      expect(document).toContain(`\`${RULE}\``);
    }
    expect(text).toContain(`git apply -R ${PATCH}`);
    expect(GUARDRAIL_RULES.map((rule) => rule.id)).toContain(RULE);
  });

  it("plans Atlantis projects that exist, and the dev projects it lists are the ones that watch environments/dev.ts", () => {
    const names = new Set(projects.map((project) => project.name));
    const planned = [...`${text}\n${slide}`.matchAll(/(?:atlantis|deploy) (?:plan|apply) -p ([\w-]+)/g)].map((match) => match[1]);
    expect(planned.length).toBeGreaterThan(0);
    expect(planned.filter((name) => !names.has(name))).toEqual([]);
    const watching = projects.filter((project) => project.autoplan?.when_modified?.includes("environments/dev.ts")).map((project) => project.name);
    const listed = text.match(/\(`dev-[^)]*\)/)![0].match(/dev-[\w-]+/g)!;
    expect([...listed].sort()).toEqual([...watching].sort());
    expect(watching.every((name) => name.startsWith("dev-"))).toBe(true);
  });
});

describe("the demo's bad change", () => {
  it("applies to the current code", () => {
    const result = spawnSync("git", ["apply", "--check", PATCH], { cwd: ROOT, encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it(`is refused by the guardrail ${RULE} when synthesized, and nothing is written`, () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "demo-"));
    try {
      for (const source of SOURCES) {
        if (fs.existsSync(path.join(ROOT, source))) fs.cpSync(path.join(ROOT, source), path.join(copy, source), { recursive: true });
      }
      fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"));
      const applied = spawnSync("git", ["apply", path.join(ROOT, PATCH)], { cwd: copy, encoding: "utf8" });
      expect([applied.status, applied.stderr]).toEqual([0, ""]);
      const outdir = path.join(copy, "out");
      const [program, ...args] = packageScripts.synth.split(" ");
      expect(program).toBe("node");
      const synth = spawnSync(process.execPath, args, { cwd: copy, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: outdir, SYNTH_ENVIRONMENTS: ENVIRONMENT_NAMES[0] } });
      expect(synth.status).not.toBe(0);
      expect(`${synth.stdout}${synth.stderr}`).toMatch(new RegExp(`guardrail violation \\[${ENVIRONMENT_NAMES[0]}-pipeline\\] aws_launch_template\\.[\\w-]+: ${RULE}: set metadata_options`));
      expect(fs.existsSync(outdir)).toBe(false);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
