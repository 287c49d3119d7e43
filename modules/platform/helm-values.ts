import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";

/** A Helm values document. */
export type HelmValues = { readonly [key: string]: unknown };

/** Where the committed values live: `helm-values/<chart>.yaml`, overridden by `helm-values/<env>/<chart>.yaml`. */
export const HELM_VALUES_DIR = path.join(__dirname, "..", "..", "helm-values");

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Deep-merges values documents, later ones winning: objects merge key by key, anything else (lists included, as
 * Helm does) is replaced.
 */
export function mergeValues(...layers: readonly HelmValues[]): HelmValues {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      merged[key] = isPlainObject(value) && isPlainObject(merged[key]) ? mergeValues(merged[key] as HelmValues, value) : value;
    }
  }
  return merged;
}

/** Reads a values file; an absent environment override is an empty document. */
export function readValuesFile(file: string, required: boolean): HelmValues {
  if (!fs.existsSync(file)) {
    if (required) throw new Error(`Helm values file ${path.relative(process.cwd(), file)} is missing`);
    return {};
  }
  const values = parse(fs.readFileSync(file, "utf8")) ?? {};
  if (!isPlainObject(values)) throw new Error(`Helm values file ${file} must hold a mapping`);
  return values;
}

/**
 * The values of one release: `helm-values/<chart>.yaml`, then the settings computed from other stacks, then the
 * environment's `helm-values/<env>/<chart>.yaml`.
 */
export function releaseValues(chart: string, environment: string, computed: HelmValues, dir: string = HELM_VALUES_DIR): HelmValues {
  return mergeValues(
    readValuesFile(path.join(dir, `${chart}.yaml`), true),
    computed,
    readValuesFile(path.join(dir, environment, `${chart}.yaml`), false),
  );
}

/** The values as the YAML document helm_release receives. */
export function valuesYaml(values: HelmValues): string {
  return stringify(values, { lineWidth: 0 });
}

/**
 * The chart keys a values file says the project may set for its chart: the comma-separated dotted paths of the
 * header line `# keys:` and its indented continuation lines, checked by hand against the chart's values.yaml. A
 * listed key covers everything below it.
 */
export function documentedKeys(file: string): string[] {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const start = lines.findIndex((line) => line.startsWith("# keys:"));
  if (start < 0) throw new Error(`${file} has no "# keys:" header listing the chart keys it uses`);
  const listed = [lines[start].slice("# keys:".length)];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith("#   ")) break;
    listed.push(line.slice(1));
  }
  return listed
    .join(",")
    .split(",")
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
}

/** Every leaf path of a values document (`a.b.c`); lists and their content count as one leaf. */
export function valuePaths(values: HelmValues, prefix = ""): string[] {
  return Object.entries(values).flatMap(([key, value]) =>
    isPlainObject(value) && Object.keys(value).length > 0 ? valuePaths(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}
