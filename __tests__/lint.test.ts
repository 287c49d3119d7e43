import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");

/** What ESLint reports for one source linted as a module of the project. */
type LintMessages = Array<{ ruleId: string | null; message: string }>;

/**
 * Lints each source as if it were `modules/example.ts`, with the project's ESLint config, in one ESLint process (the
 * config and the TypeScript parser load once).
 */
function lint(sources: readonly string[]): LintMessages[] {
  const script = `
    const { ESLint } = require("eslint");
    (async () => {
      const eslint = new ESLint();
      const reports = [];
      for (const source of JSON.parse(process.argv[1])) {
        const [result] = await eslint.lintText(source, { filePath: "modules/example.ts" });
        reports.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
      }
      console.log(JSON.stringify(reports));
    })();`;
  const result = spawnSync(process.execPath, ["-e", script, JSON.stringify(sources)], { cwd: ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`ESLint failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

describe("ESLint speed rule", () => {
  const [rootImports, deepImports] = lint([
    [
      'import { Vpc } from "@cdktf/provider-aws";',
      'import { Release } from "@cdktf/provider-helm/lib";',
      'import { Manifest } from "@cdktf/provider-kubernetes";',
      "export const all = [Vpc, Release, Manifest];",
    ].join("\n"),
    'import { Vpc } from "@cdktf/provider-aws/lib/vpc";\nexport const vpc = Vpc;\n',
  ]);

  it("refuses root imports of the provider packages", () => {
    expect(rootImports.map((message) => message.ruleId)).toEqual(["no-restricted-imports", "no-restricted-imports", "no-restricted-imports"]);
    for (const { message } of rootImports) expect(message).toContain("Import provider classes by deep path");
  });

  it("accepts deep imports", () => {
    expect(deepImports).toEqual([]);
  });
});
