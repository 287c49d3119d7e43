import * as fs from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";
import { SuppressionEntry } from "../../modules/guardrails/catalogue";

/** A synthesized stack's Terraform JSON, as cdktf writes it to cdk.tf.json. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StackJson = Record<string, any>;

/** Every stack of an app, synthesized the way `npm run synth` does (validations and guardrails included). */
export function synthApp(app: App): Record<string, StackJson> {
  app.synth();
  const stacksDir = path.join(app.outdir, "stacks");
  return Object.fromEntries(
    fs.readdirSync(stacksDir).map((name) => [name, JSON.parse(fs.readFileSync(path.join(stacksDir, name, "cdk.tf.json"), "utf8"))]),
  );
}

/**
 * The synthesized stacks of one committed environment, from the run's global synthesis (`global-setup.ts`): read,
 * not synthesized again.
 */
export function synthesizedStacks(envName: string): Record<string, StackJson> {
  const stacksDir = path.join(globalSynthesisDir(), "stacks");
  return Object.fromEntries(
    fs
      .readdirSync(stacksDir)
      .filter((name) => name.startsWith(`${envName}-`))
      .map((name) => [name, JSON.parse(fs.readFileSync(path.join(stacksDir, name, "cdk.tf.json"), "utf8"))]),
  );
}

/** File of the global synthesis that lists the guardrail suppressions of the construct tree. */
export const SUPPRESSIONS_FILE = "suppressions.json";

/** Every guardrail suppression of every committed environment, from the run's global synthesis. */
export function synthesizedSuppressions(): SuppressionEntry[] {
  return JSON.parse(fs.readFileSync(path.join(globalSynthesisDir(), SUPPRESSIONS_FILE), "utf8"));
}

/** The directory of the run's global synthesis of the committed environments (`global-setup.ts`). */
export function globalSynthesisDir(): string {
  const dir = process.env.PROTEOMICS_SYNTH_DIR;
  if (!dir) throw new Error("PROTEOMICS_SYNTH_DIR is not set: run the tests through jest (global-setup.ts synthesizes them)");
  return dir;
}

/** The resources of one type in a synthesized stack, by logical id. */
export function resourcesOf(stack: StackJson, type: string): Record<string, StackJson> {
  return stack.resource?.[type] ?? {};
}

/** The one resource of a type in a stack; fails when there is not exactly one. */
export function onlyResource(stack: StackJson, type: string): StackJson {
  const all = Object.values(resourcesOf(stack, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** The `${type.name` prefix a reference to the resource with this logical id starts with. */
export function referenceTo(type: string, logicalId: string): string {
  return `\${${type}.${logicalId}.`;
}

/** Logical id of the bucket with this name. */
export function bucketId(stack: StackJson, name: string): string {
  const [id] = Object.entries(resourcesOf(stack, "aws_s3_bucket")).find(([, bucket]) => bucket.bucket === name)!;
  return id;
}

/** The single resource of `type` whose `bucket` refers to the bucket named `name`. */
export function bucketConfig(stack: StackJson, type: string, name: string): StackJson {
  const id = bucketId(stack, name);
  const matches = Object.values(resourcesOf(stack, type)).filter((resource) =>
    String(resource.bucket).startsWith(referenceTo("aws_s3_bucket", id)),
  );
  expect(matches).toHaveLength(1);
  return matches[0];
}

/**
 * `value` with every cross-stack reference (`${data.terraform_remote_state.cross-stack-reference-input-<stack>.outputs.<output>}`)
 * replaced by the expression the producing stack exports under that output, e.g. `${aws_s3_bucket.uploads_1A2B.bucket}`.
 */
export function resolveCrossStack(stacks: Record<string, StackJson>, value: string): string {
  return value.replace(/\$\{data\.terraform_remote_state\.cross-stack-reference-input-([a-z0-9-]+)\.outputs\.([^}]+)\}/g, (reference, stack: string, output: string) => {
    const exported = stacks[stack]?.output?.[output]?.value;
    if (typeof exported !== "string") throw new Error(`${reference}: ${stack} exports no output ${output}`);
    return exported;
  });
}
