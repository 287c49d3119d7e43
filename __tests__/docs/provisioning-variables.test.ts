import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ENVIRONMENTS, ENVIRONMENT_NAMES, TOOLING, environment } from "../helpers/environments";

// The provisioning guide's commands take the environment, its account, region and domains from the shell variables of
// its "Variables" block, which reads them from the environment files: a reader sets ENV once and copies the rest.

const ROOT = path.join(__dirname, "..", "..");
const GUIDES = { en: "docs/provisioning.md", "pt-BR": "docs/pt-BR/provisioning.md" } as const;
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** The shell code blocks of a Markdown text. */
const shellBlocks = (markdown: string) => [...markdown.matchAll(/```(?:bash|sh)\n([\s\S]*?)```/g)].map((block) => block[1]);
/** A line without its trailing comment. */
const withoutComment = (line: string) => line.replace(/\s+#\s.*$/, "").trimEnd();
/** Inline code that is a command: what a reader would paste from the text. */
const COMMAND_START = /^(npm run|aws |terraform |kubectl |AWS_PROFILE=|curl |helm |psql |dig )/;

/** Every command line a reader may paste: the code blocks' lines without comments, and the commands quoted in the text. */
function commandLines(markdown: string): string[] {
  const blockLines = shellBlocks(markdown)
    .flatMap((block) => block.split("\n"))
    .map(withoutComment)
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));
  const prose = markdown.replace(/```[\s\S]*?```/g, "");
  const inline = [...prose.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]).filter((span) => COMMAND_START.test(span));
  return [...blockLines, ...inline];
}

/**
 * What a variable stands for: every committed account id, region and domain, and each workload environment's name as a
 * word (`dev`, `proteomics-dev-eks`, `dev-network`; not `/dev/null`).
 */
function literalsIn(line: string): string[] {
  const all = [...ENVIRONMENTS, TOOLING];
  const values = [
    ...all.map((env) => env.awsAccountId),
    ...new Set(all.map((env) => env.region)),
    ...ENVIRONMENTS.map((env) => env.apps.domain),
    TOOLING.atlantis.domain,
  ];
  const found = values.filter((value) => new RegExp(`(?<![\\w.])${value.replace(/\./g, "\\.")}(?![\\w])`).test(line));
  const names = line.replace(/\/dev\/(null|stdin|stdout|stderr)\b/g, "").match(new RegExp(`(?<![\\w.$])(${ENVIRONMENT_NAMES.join("|")})(?![\\w])`, "g")) ?? [];
  return [...found, ...names];
}

/** The parts of a shell line inside single quotes (outside double quotes), where `$` is literal. */
function singleQuoted(line: string): string[] {
  const parts: string[] = [];
  let state: "plain" | "single" | "double" = "plain";
  let current = "";
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (state === "single") {
      if (char === "'") {
        parts.push(current);
        current = "";
        state = "plain";
      } else current += char;
    } else if (char === "\\") index++;
    else if (state === "double" && char === '"') state = "plain";
    else if (state === "plain" && char === '"') state = "double";
    else if (state === "plain" && char === "'") state = "single";
  }
  return parts;
}

/** The one line where a literal environment name belongs: the variables block's assignment. */
const ASSIGNMENT = /^export ENV=\w+\s*$/;

describe.each(Object.entries(GUIDES))("the provisioning guide's commands (%s)", (_language, file) => {
  const guide = read(file);

  it("name no example account id, region, domain or workload environment where a variable belongs", () => {
    const lines = commandLines(guide).filter((line) => !ASSIGNMENT.test(line.trim()));
    expect(lines.length).toBeGreaterThan(200);
    expect(lines.map((line) => [line, literalsIn(line)]).filter(([, literals]) => literals.length > 0)).toEqual([]);
  });

  it("are each valid shell (bash -n), block by block", () => {
    for (const block of shellBlocks(guide)) {
      const check = spawnSync("bash", ["-n"], { input: block, encoding: "utf8" });
      expect([block, check.stderr]).toEqual([block, ""]);
    }
  });

  it("never put a variable inside single quotes, where the shell would not expand it", () => {
    const variables = /\$\{?(ENV|ACCOUNT|REGION|DOMAIN|TOOLING_ACCOUNT|TOOLING_REGION|ATLANTIS_DOMAIN)\b/;
    for (const line of commandLines(guide)) {
      expect([line, singleQuoted(line).filter((part) => variables.test(part))]).toEqual([line, []]);
    }
  });
});

describe("the literal check", () => {
  it("finds an example account id, a region, a domain and an environment name, and passes a command with variables", () => {
    const dev = environment("dev");
    expect(literalsIn(`aws s3 ls s3://proteomics-dev-tfstate-${dev.awsAccountId}/`)).toEqual([dev.awsAccountId, "dev"]);
    expect(literalsIn(`aws eks update-kubeconfig --name proteomics-dev-eks --region ${dev.region}`)).toEqual([dev.region, "dev"]);
    expect(literalsIn(`curl -sS https://${dev.apps.domain}/api/health`)).toEqual([dev.apps.domain, "dev"]);
    expect(literalsIn("npm run cdktf -- deploy staging-network --ignore-missing-stack-dependencies")).toEqual(["staging"]);
    expect(literalsIn('aws s3 ls "s3://proteomics-$ENV-tfstate-$ACCOUNT/" > /dev/null')).toEqual([]);
    expect(singleQuoted(`trail '{ $.a = "'"$ENV"'" }' "it's $ENV"`)).toEqual(['{ $.a = "', '" }']);
    expect(singleQuoted("aws logs tail '/proteomics-$ENV/jobs'")).toEqual(["/proteomics-$ENV/jobs"]);
    expect(commandLines("Text `npm run cdktf -- diff dev-state` and `dev`.\n\n```bash\naws sts get-caller-identity   # 111122223333\n```\n")).toEqual([
      "aws sts get-caller-identity",
      "npm run cdktf -- diff dev-state",
    ]);
  });
});

describe("the variables block", () => {
  const block = (file: string) => {
    const section = read(file).split(/^## /m).find((part) => /^(Variables|Variáveis)/.test(part))!;
    return shellBlocks(section)[0];
  };

  it("is the same in both languages, and sets every variable the commands use from the environment files", () => {
    expect(withoutComments(block(GUIDES["pt-BR"]))).toBe(withoutComments(block(GUIDES.en)));
    const script = block(GUIDES.en).replace(/^npm ci\b.*$/m, "");
    const run = spawnSync("bash", ["-c", `${script}\nenv | grep -E '^(ENV|ACCOUNT|REGION|DOMAIN|TOOLING_ACCOUNT|TOOLING_REGION|ATLANTIS_DOMAIN)='`], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    const values = Object.fromEntries(run.stdout.trim().split("\n").filter((line) => line.includes("=") && !line.includes(":")).map((line) => line.split("=")));
    const dev = environment(ENVIRONMENT_NAMES[0]);
    expect(values).toEqual({
      ENV: dev.name,
      ACCOUNT: dev.awsAccountId,
      REGION: dev.region,
      DOMAIN: dev.apps.domain,
      TOOLING_ACCOUNT: TOOLING.awsAccountId,
      TOOLING_REGION: TOOLING.region,
      ATLANTIS_DOMAIN: TOOLING.atlantis.domain,
    });
    // Every variable the commands use is set here or by a command of the guide before its use.
    const used = new Set(commandLines(read(GUIDES.en)).flatMap((line) => [...line.matchAll(/\$\{?([A-Z][A-Z_]*)\b/g)].map((match) => match[1])));
    for (const name of Object.keys(values)) expect(used).toContain(name);
  });
});

function withoutComments(block: string): string {
  return block
    .split("\n")
    .map(withoutComment)
    .filter((line) => line.trim() !== "")
    .join("\n");
}
