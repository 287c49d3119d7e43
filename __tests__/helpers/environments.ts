import { ENVIRONMENT_INPUTS, EnvironmentConfig, EnvironmentConfigError, EnvironmentInput, loadEnvironments } from "../../environments";

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

/** Loads the committed environments after `breakIt` changed them, and returns the error's problem lines. */
export function problemsAfter(breakIt: (inputs: Record<string, EnvironmentInput & Record<string, unknown>>) => void): string[] {
  const inputs = environmentInputs();
  breakIt(Object.fromEntries(inputs.map((input) => [input.name, input])) as never);
  try {
    loadEnvironments(inputs);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentConfigError);
    return (error as EnvironmentConfigError).problems.map((p) => `${p.environment}: ${p.field}: ${p.rule}`);
  }
  throw new Error("expected the configuration to be rejected");
}
