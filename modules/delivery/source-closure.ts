import * as fs from "node:fs";
import * as path from "node:path";

/** `import … from "./x"`, `export … from "./x"`, `import("./x")` and `require("./x")` of a relative module. */
const RELATIVE_IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;

/** The file a relative specifier names: `x.ts`, `x/index.ts`, or the file itself (JSON). */
function resolveModule(fromFile: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), specifier);
  return [`${base}.ts`, path.join(base, "index.ts"), base].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
}

/**
 * Every source file of the repository that `entry` loads, itself included, following relative imports
 * transitively, as repository-relative paths in sorted order. Files under `stopAt` directories are listed but not
 * followed (e.g. `environments/`, whose index loads every environment).
 */
export function sourceClosure(root: string, entry: string, stopAt: readonly string[] = []): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    const relative = path.relative(root, file).split(path.sep).join("/");
    if (seen.has(relative)) return;
    seen.add(relative);
    if (stopAt.some((directory) => relative.startsWith(`${directory}/`)) || !file.endsWith(".ts")) return;
    for (const match of fs.readFileSync(file, "utf8").matchAll(RELATIVE_IMPORT)) {
      const target = resolveModule(file, match[1]);
      if (target) visit(target);
    }
  };
  visit(path.resolve(root, entry));
  return [...seen].sort();
}
