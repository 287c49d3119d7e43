import { ENVIRONMENT_INPUTS, EnvironmentConfig, EnvironmentInput, loadEnvironments } from "../../environments";

/** The committed environments, validated. */
export const ENVIRONMENTS: readonly EnvironmentConfig[] = loadEnvironments(ENVIRONMENT_INPUTS);

/** Names of the committed environments, for `describe.each`. */
export const ENVIRONMENT_NAMES = ENVIRONMENTS.map((env) => env.name);

/** One committed environment by name. */
export function environment(name: string): EnvironmentConfig {
  const env = ENVIRONMENTS.find((candidate) => candidate.name === name);
  if (!env) throw new Error(`no environment ${name}`);
  return env;
}

/** A deep copy of the committed inputs, for tests that break one field. */
export function environmentInputs(): EnvironmentInput[] {
  return structuredClone(ENVIRONMENT_INPUTS) as unknown as EnvironmentInput[];
}
