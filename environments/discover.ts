import * as fs from "node:fs";
import * as path from "node:path";
import { ENVIRONMENT_KINDS, EnvironmentInput, TIERS, ToolingInput } from "./schema";

/** An environment as written, of either kind. */
export type AnyEnvironmentInput = EnvironmentInput | ToolingInput;

/** Is `value` an environment as written (what a file of the directory exports)? */
function isEnvironmentInput(value: unknown): value is AnyEnvironmentInput {
  return (
    value !== null &&
    typeof value === "object" &&
    (ENVIRONMENT_KINDS as readonly unknown[]).includes((value as { kind?: unknown }).kind) &&
    typeof (value as { name?: unknown }).name === "string"
  );
}

/**
 * Every environment of `directory`: each `<name>.ts` file that exports an environment (an object with a `kind`) is
 * one, so a new environment is one new file. The file must be named after the environment (`environments/qa.ts`
 * exports the environment `qa`): its stacks are planned when that file changes. Ordered as they are promoted:
 * development, staging, production, then by name; the tooling environment last.
 */
export function discoverEnvironments(directory: string): AnyEnvironmentInput[] {
  const found: AnyEnvironmentInput[] = [];
  // index.ts calls this (requiring it would be circular); the other modules of the directory export no environment.
  const files = fs.readdirSync(directory).filter((name) => /^[a-z][a-z0-9-]*\.ts$/.test(name) && name !== "index.ts");
  for (const file of files.sort()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported: Record<string, unknown> = require(path.join(directory, file));
    for (const value of Object.values(exported).filter(isEnvironmentInput)) {
      const expected = file.replace(/\.ts$/, "");
      if (value.name !== expected) throw new Error(`environments/${file} exports the environment "${value.name}": name the file ${value.name}.ts`);
      found.push(value);
    }
  }
  const rank = (input: AnyEnvironmentInput) => (input.kind === "tooling" ? TIERS.length : TIERS.indexOf(input.tier as (typeof TIERS)[number]));
  return found.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}
