import { cidrsOverlap, parseCidr } from "../modules/network/cidr";
import { ConfigProblem, EnvironmentConfigError } from "./config-error";
import { EnvironmentConfig, environmentSchema } from "./schema";

/**
 * Validates every environment against the schema and the cross-environment rules, and returns them with their
 * defaults applied. Throws one {@link EnvironmentConfigError} listing every problem found.
 */
export function loadEnvironments(inputs: readonly unknown[]): EnvironmentConfig[] {
  const problems: ConfigProblem[] = [];
  const environments: EnvironmentConfig[] = [];
  inputs.forEach((input, index) => {
    const result = environmentSchema.safeParse(input);
    if (result.success) {
      environments.push(result.data);
      return;
    }
    const environment = environmentLabel(input, index);
    for (const issue of result.error.issues) {
      problems.push({ environment, field: issue.path.join(".") || "(root)", rule: issue.message });
    }
  });
  if (problems.length === 0) problems.push(...crossEnvironmentProblems(environments));
  if (problems.length > 0) throw new EnvironmentConfigError(problems);
  return environments;
}

/**
 * Rules that relate environments to each other: unique names, accounts and state buckets (a dev plan can never
 * touch prod's account or state), and VPC CIDRs that do not overlap (so environments can be peered or joined
 * through a transit gateway later).
 */
function crossEnvironmentProblems(environments: readonly EnvironmentConfig[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const unique = (field: string, value: (env: EnvironmentConfig) => string, why: string) => {
    const seen = new Map<string, string>();
    for (const env of environments) {
      const owner = seen.get(value(env));
      if (owner !== undefined) {
        problems.push({ environment: env.name, field, rule: `must be unique per environment: "${value(env)}" is also ${owner}'s (${why})` });
      } else {
        seen.set(value(env), env.name);
      }
    }
  };
  unique("name", (env) => env.name, "stack names derive from it");
  unique("awsAccountId", (env) => env.awsAccountId, "each environment is isolated in its own account");
  unique("state.bucketName", (env) => env.state.bucketName, "each environment keeps its own state");
  unique("apps.domain", (env) => env.apps.domain, "each environment serves its own site");

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
export function selectEnvironments(environments: readonly EnvironmentConfig[], selector: string | undefined): EnvironmentConfig[] {
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
