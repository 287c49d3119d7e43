import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");

/** Lints `source` as if it were a module of the project, with the project's ESLint config. */
function lint(source: string) {
  return spawnSync(process.execPath, [path.join(ROOT, "node_modules", "eslint", "bin", "eslint.js"), "--stdin", "--stdin-filename", "modules/example.ts"], {
    cwd: ROOT,
    input: source,
    encoding: "utf8",
  });
}

describe("ESLint speed rule", () => {
  it("refuses root imports of the provider packages", () => {
    const result = lint(
      [
        'import { Vpc } from "@cdktf/provider-aws";',
        'import { Release } from "@cdktf/provider-helm/lib";',
        'import { Manifest } from "@cdktf/provider-kubernetes";',
        "export const all = [Vpc, Release, Manifest];",
      ].join("\n"),
    );
    expect(result.status).toBe(1);
    expect(result.stdout.match(/no-restricted-imports/g)).toHaveLength(3);
    expect(result.stdout).toContain("Import provider classes by deep path");
  });

  it("accepts deep imports", () => {
    const result = lint('import { Vpc } from "@cdktf/provider-aws/lib/vpc";\nexport const vpc = Vpc;\n');
    expect(result.stdout).toBe("");
    expect(result.status).toBe(0);
  });
});
