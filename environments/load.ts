import { cidrsOverlap, parseCidr } from "../modules/network/cidr";
import { ConfigProblem, EnvironmentConfigError } from "./config-error";
import { z } from "zod";
import { closestKey, knownKeysAt } from "./known-keys";
import { AnyEnvironmentConfig, ENVIRONMENT_KINDS, EnvironmentConfig, ToolingConfig, environmentSchema, toolingEnvironmentSchema, workloadEnvironmentSchema } from "./schema";

/** The validated environments: the workload environments in promotion order, and the tooling environment. */
export interface LoadedEnvironments {
  /** Workload environments (dev, staging, prod, ...), in the order written. */
  readonly workloads: readonly EnvironmentConfig[];
  /** The tooling environment (Atlantis, the peering hub). @default none */
  readonly tooling?: ToolingConfig;
}

/**
 * Validates every environment against the schema and the cross-environment rules, and returns them with their
 * defaults applied. Throws one {@link EnvironmentConfigError} listing every problem found.
 */
export function loadEnvironments(inputs: readonly unknown[]): LoadedEnvironments {
  const problems: ConfigProblem[] = [];
  const environments: AnyEnvironmentConfig[] = [];
  inputs.forEach((input, index) => {
    const kind = (input as { kind?: unknown } | null)?.kind;
    if (!(ENVIRONMENT_KINDS as readonly unknown[]).includes(kind)) {
      problems.push({ environment: environmentLabel(input, index), field: "kind", rule: `must be one of ${ENVIRONMENT_KINDS.join(", ")} (got ${JSON.stringify(kind)})` });
      return;
    }
    const result = environmentSchema.safeParse(input);
    if (result.success) {
      environments.push(result.data);
      return;
    }
    problems.push(...schemaProblems(input, index, result.error.issues));
  });
  if (problems.length === 0) problems.push(...crossEnvironmentProblems(environments));
  if (problems.length > 0) throw new EnvironmentConfigError(problems);
  return {
    workloads: environments.filter((env): env is EnvironmentConfig => env.kind === "workload"),
    tooling: environments.find((env): env is ToolingConfig => env.kind === "tooling"),
  };
}

/** A value at `path` of the raw input, or undefined. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((value, segment) => (value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[segment] : undefined), input);
}

/**
 * The schema's issues as problems, pointing at the mistake rather than at its consequences:
 * - an unknown key is named with the known key it most likely misspells, and that key is not also blamed for being
 *   unset;
 * - a subnet size the user never wrote (defaulted) that does not fit the VPC blames the VPC's CIDR.
 */
function schemaProblems(input: unknown, index: number, issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  const environment = environmentLabel(input, index);
  const schema = (input as { kind?: unknown }).kind === "tooling" ? toolingEnvironmentSchema : workloadEnvironmentSchema;
  const problems: ConfigProblem[] = [];
  const misspelled = new Set<string>();
  for (const issue of issues.filter((candidate) => candidate.code === "unrecognized_keys")) {
    const known = knownKeysAt(schema, issue.path);
    for (const key of (issue as z.core.$ZodIssueUnrecognizedKeys).keys) {
      // A misspelling most likely stands for a key left unset; failing that, for any known key.
      const meant = closestKey(key, known.filter((candidate) => valueAt(input, [...issue.path, candidate]) === undefined)) ?? closestKey(key, known);
      if (meant) misspelled.add([...issue.path, meant].join("."));
      problems.push({
        environment,
        field: [...issue.path, key].join("."),
        rule: meant ? `is not a known setting (did you mean ${meant}?)` : `is not a known setting (known here: ${known.join(", ")})`,
      });
    }
  }
  for (const issue of issues.filter((candidate) => candidate.code !== "unrecognized_keys")) {
    const field = issue.path.join(".");
    if (misspelled.has(field)) continue;
    const defaultedSubnet = issue.path[0] === "network" && issue.path[1] === "subnetPrefixes" && valueAt(input, ["network", "subnetPrefixes"]) === undefined;
    problems.push(
      defaultedSubnet
        ? { environment, field: "network.vpcCidr", rule: `is too small for the default subnet sizes (${issue.path[2] as string}: ${issue.message}); use a larger VPC or set network.subnetPrefixes` }
        : { environment, field: field || "(root)", rule: issue.message },
    );
  }
  return problems;
}

/**
 * Rules that relate environments to each other: unique names, accounts and state buckets (a dev plan can never
 * touch prod's account or state), VPC CIDRs that do not overlap (the tooling VPC is peered with every workload
 * VPC), and at most one tooling environment.
 */
function crossEnvironmentProblems(environments: readonly AnyEnvironmentConfig[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const unique = (field: string, value: (env: AnyEnvironmentConfig) => string | undefined, why: string) => {
    const seen = new Map<string, string>();
    for (const env of environments.filter((candidate) => value(candidate) !== undefined)) {
      const owner = seen.get(value(env)!);
      if (owner !== undefined) {
        problems.push({ environment: env.name, field, rule: `must be unique per environment: "${value(env)}" is also ${owner}'s (${why})` });
      } else {
        seen.set(value(env)!, env.name);
      }
    }
  };
  unique("name", (env) => env.name, "stack names derive from it");
  unique("awsAccountId", (env) => env.awsAccountId, "each environment is isolated in its own account");
  unique("state.bucketName", (env) => env.state.bucketName, "each environment keeps its own state");
  unique("apps.domain", (env) => (env.kind === "workload" ? env.apps.domain : undefined), "each environment serves its own site");
  for (const extra of environments.filter((env) => env.kind === "tooling").slice(1)) {
    problems.push({ environment: extra.name, field: "kind", rule: "must be workload: there is one tooling environment (it already is " + environments.find((env) => env.kind === "tooling")!.name + ")" });
  }

  environments.forEach((env, index) => {
    for (const other of environments.slice(0, index)) {
      if (cidrsOverlap(parseCidr(env.network.vpcCidr), parseCidr(other.network.vpcCidr))) {
        problems.push({
          environment: env.name,
          field: "network.vpcCidr",
          rule: `must not overlap another environment's VPC: ${env.network.vpcCidr} overlaps ${other.name}'s ${other.network.vpcCidr}`,
        });
      }
    }
  });
  return problems;
}

/**
 * The environments to synthesize: all of them, or those named in `selector` (the comma-separated value of
 * `SYNTH_ENVIRONMENTS`). An unknown name is an error that lists the known ones.
 */
export function selectEnvironments<T extends AnyEnvironmentConfig>(environments: readonly T[], selector: string | undefined): T[] {
  const names = (selector ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (names.length === 0) return [...environments];
  const known = environments.map((env) => env.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new EnvironmentConfigError(
      unknown.map((name) => ({
        environment: name,
        field: "SYNTH_ENVIRONMENTS",
        rule: `is not a known environment (known: ${known.join(", ")})`,
      })),
    );
  }
  return environments.filter((env) => names.includes(env.name));
}

function environmentLabel(input: unknown, index: number): string {
  const name = (input as { name?: unknown } | null)?.name;
  return typeof name === "string" && name.length > 0 ? name : `environment #${index + 1}`;
}

/** Every loaded environment, the tooling environment first (it is built first), then the workloads in order. */
export function allEnvironments(loaded: LoadedEnvironments): AnyEnvironmentConfig[] {
  return [...(loaded.tooling ? [loaded.tooling] : []), ...loaded.workloads];
}
