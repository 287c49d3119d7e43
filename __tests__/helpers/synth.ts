import * as fs from "node:fs";
import * as path from "node:path";
import { App, Testing } from "cdktf";
import { EnvironmentConfig } from "../../environments";
import { EnvironmentStacks, createEnvironmentStacks } from "../../stacks";

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

/** Synthesizes one environment; call once per test file (in `beforeAll` or at module level). */
export function synthEnvironment(env: EnvironmentConfig): { stacks: EnvironmentStacks; json: Record<string, StackJson> } {
  const app = Testing.app();
  const stacks = createEnvironmentStacks(app, env);
  return { stacks, json: synthApp(app) };
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
