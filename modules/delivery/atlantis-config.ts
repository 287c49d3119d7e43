import * as fs from "node:fs";
import * as path from "node:path";
import { BOOTSTRAP_LAYERS } from "../../stacks/naming";
import { SynthesizedStackNode } from "../../stacks/synthesize";
import { sourceClosure } from "./source-closure";

/** One environment as the delivery flow sees it. */
export interface DeliveryEnvironment {
  /** Environment name, e.g. `dev`; its file is `environments/<name>.ts`. */
  readonly name: string;
}

/**
 * Files every stack's synthesis reads besides its source closure: the lockfile, how the synth is run (package.json's
 * script, cdktf.json, the TypeScript hook and its swc options) and the app's entry points.
 */
const COMMON_INPUTS = [
  "package-lock.json",
  "package.json",
  "cdktf.json",
  "scripts/register-typescript.cjs",
  "scripts/swc-options.cjs",
  "main.ts",
  "stacks/index.ts",
  "stacks/synthesize.ts",
  "stacks/token-creation-stacks.ts",
];

/** Data files read at synth time by a module, by module file: the patterns to watch for an environment. */
const DATA_INPUTS: Readonly<Record<string, (environment: string) => string[]>> = {
  "modules/platform/helm-values.ts": (environment) => ["helm-values/*.yaml", `helm-values/${environment}/*.yaml`],
  // The validation function's code, zipped by the synth into the pipeline stack.
  "modules/pipeline/input-validator.ts": () => ["functions/validate-analysis-input/*"],
  // The warehouse setup function's code, zipped by the synth into the data stack.
  "modules/data/warehouse-setup.ts": () => ["functions/warehouse-setup/*"],
  // The metrics database's migrations and the dashboard's views, read by the migrations job and the warehouse setup.
  "modules/data/metrics-schema.ts": () => ["migrations/metrics/*", "warehouse/dashboard/*"],
};

/** Where a stack's Terraform configuration is synthesized, relative to the repository. */
export const stackDirectory = (stack: string) => `cdktf.out/stacks/${stack}`;

/**
 * Turns a file list into `when_modified` patterns: a directory whose `.ts` files are all in the list becomes
 * `<dir>/*.ts`, other files stay as they are.
 */
function compress(root: string, files: readonly string[]): string[] {
  const byDirectory = new Map<string, string[]>();
  for (const file of files) {
    const directory = path.posix.dirname(file);
    byDirectory.set(directory, [...(byDirectory.get(directory) ?? []), file]);
  }
  return [...byDirectory.entries()].flatMap(([directory, listed]) => {
    const all = fs.readdirSync(path.join(root, directory)).filter((name) => name.endsWith(".ts"));
    const everyTs = directory !== "." && all.length > 1 && all.every((name) => listed.includes(`${directory}/${name}`));
    return everyTs ? [`${directory}/*.ts`, ...listed.filter((file) => !file.endsWith(".ts"))] : listed;
  });
}

/**
 * Everything whose change can change a stack's plan: its source closure, its environment's file and what it imports,
 * the environment code, the files of the environments every stack reads (the tooling environment's), shared inputs,
 * data files. Environment files are discovered, not imported (environments/discover.ts): they are added by name.
 */
export function stackInputs(root: string, environment: string, layer: string, sharedEnvironments: readonly string[] = []): string[] {
  const files = new Set([
    ...sourceClosure(root, `stacks/${layer}-stack.ts`, ["environments"]),
    ...sourceClosure(root, "environments/index.ts"),
    ...[environment, ...sharedEnvironments].flatMap((name) => sourceClosure(root, `environments/${name}.ts`)),
    ...COMMON_INPUTS,
  ]);
  const data = [...files].flatMap((file) => DATA_INPUTS[file]?.(environment) ?? []);
  return [...compress(root, [...files].sort()), ...data];
}

/** Projects sorted so that a stack comes after what it depends on; the index of its level is its order group. */
function dependencyLevels(stacks: readonly SynthesizedStackNode[]): Map<string, number> {
  const byName = new Map(stacks.map((stack) => [stack.name, stack]));
  const levels = new Map<string, number>();
  const level = (name: string, trail: readonly string[]): number => {
    if (trail.includes(name)) throw new Error(`Stack dependency cycle: ${[...trail, name].join(" -> ")}`);
    const known = levels.get(name);
    if (known !== undefined) return known;
    const dependencies = byName.get(name)?.dependencies.filter((dependency) => byName.has(dependency)) ?? [];
    const value = dependencies.length ? Math.max(...dependencies.map((dependency) => level(dependency, [...trail, name]))) + 1 : 1;
    levels.set(name, value);
    return value;
  };
  for (const stack of stacks) level(stack.name, []);
  return levels;
}

/**
 * The repository's `atlantis.yaml`: one project per stack Atlantis manages (every workload environment's stack but
 * the bootstrap layers), from
 * the repository root, autoplanned when their inputs change, ordered by their dependencies and by environment (dev,
 * then staging, then prod: an `atlantis apply` of everything stops at the first failure). Projects only: the
 * workflow and the apply requirements are the server's (`atlantis-server-config.ts`), out of a pull request's reach.
 */
export function atlantisConfig(
  root: string,
  stacks: readonly SynthesizedStackNode[],
  environments: readonly DeliveryEnvironment[],
  /** Environments whose files every stack reads (the tooling environment's). @default none */
  sharedEnvironments: readonly DeliveryEnvironment[] = [],
) {
  const layerOf = (stack: string) => stack.slice(stack.indexOf("-") + 1);
  const environmentOf = (stack: string) => stack.slice(0, stack.indexOf("-"));
  const environmentNames = environments.map((environment) => environment.name);
  // The tooling environment's stacks and every environment's bootstrap layers are applied by hand.
  const managed = stacks.filter(
    (stack) => environmentNames.includes(environmentOf(stack.name)) && !(BOOTSTRAP_LAYERS as readonly string[]).includes(layerOf(stack.name)),
  );
  const names = new Set(managed.map((stack) => stack.name));
  const levels = dependencyLevels(managed);
  const depth = Math.max(...levels.values());
  const projects = environments.flatMap((environment, environmentIndex) =>
    managed
      .filter((stack) => environmentOf(stack.name) === environment.name)
      .sort((a, b) => levels.get(a.name)! - levels.get(b.name)! || a.name.localeCompare(b.name))
      .map((stack) => {
        const dependsOn = stack.dependencies.filter((dependency) => names.has(dependency)).sort();
        return {
          name: stack.name,
          dir: ".",
          execution_order_group: environmentIndex * depth + levels.get(stack.name)!,
          ...(dependsOn.length ? { depends_on: dependsOn } : {}),
          autoplan: {
            enabled: true,
            when_modified: stackInputs(
              root,
              environment.name,
              layerOf(stack.name),
              sharedEnvironments.map((shared) => shared.name),
            ),
          },
        };
      }),
  );
  return {
    version: 3,
    automerge: false,
    // Projects share the repository root: one plan at a time keeps installs and syntheses from racing.
    parallel_plan: false,
    parallel_apply: false,
    abort_on_execution_order_fail: true,
    allowed_regexp_prefixes: environmentNames.map((name) => `${name}-`),
    projects,
  };
}
