import { SpawnSyncOptionsWithStringEncoding, SpawnSyncReturns, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");

/**
 * Runs `npm run <script> -- <args>` as package.json defines it, without npm itself (about 0.3 s a run): the script
 * must be a `node …` command, run by the Node.js running the tests, from the repository root.
 */
export function runNpmScript(
  script: string,
  args: readonly string[],
  options: Omit<SpawnSyncOptionsWithStringEncoding, "cwd" | "encoding"> = {},
): SpawnSyncReturns<string> {
  const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts;
  const command = scripts[script];
  if (command === undefined) throw new Error(`package.json has no script "${script}"`);
  const [program, ...scriptArgs] = command.split(" ");
  if (program !== "node") throw new Error(`npm run ${script} is not a node command: ${command}`);
  return spawnSync(process.execPath, [...scriptArgs, ...args], { ...options, cwd: ROOT, encoding: "utf8" });
}
