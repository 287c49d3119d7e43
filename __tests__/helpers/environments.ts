import { ENVIRONMENT_INPUTS, EnvironmentConfig, EnvironmentConfigError, EnvironmentInput, ToolingConfig, ToolingInput, loadEnvironments } from "../../environments";

const LOADED = loadEnvironments(ENVIRONMENT_INPUTS);

/** The committed workload environments, validated. */
export const ENVIRONMENTS: readonly EnvironmentConfig[] = LOADED.workloads;

/** Names of the committed workload environments, for `describe.each`. */
export const ENVIRONMENT_NAMES = ENVIRONMENTS.map((env) => env.name);

/** The committed tooling environment, validated. */
export const TOOLING: ToolingConfig = (() => {
  if (!LOADED.tooling) throw new Error("no tooling environment is committed");
  return LOADED.tooling;
})();

/** One committed workload environment by name. */
export function environment(name: string): EnvironmentConfig {
  const env = ENVIRONMENTS.find((candidate) => candidate.name === name);
  if (!env) throw new Error(`no environment ${name}`);
  return env;
}

/** A deep copy of the committed workload environments' inputs, for tests that break one field. */
export function environmentInputs(): EnvironmentInput[] {
  return structuredClone(ENVIRONMENT_INPUTS.filter((input) => input.kind === "workload")) as EnvironmentInput[];
}

/** A deep copy of the committed tooling environment's input. */
export function toolingInput(): ToolingInput {
  return structuredClone(ENVIRONMENT_INPUTS.find((input) => input.kind === "tooling")) as ToolingInput;
}

/** The committed inputs by name: the workload environments' and the tooling environment's, typed for editing. */
export type InputsByName = Record<string, EnvironmentInput & Record<string, unknown>> & { tooling: ToolingInput & Record<string, unknown> };

/** Loads the committed environments after `breakIt` changed them, and returns the error's problem lines. */
export function problemsAfter(breakIt: (inputs: InputsByName) => void): string[] {
  const byName = Object.fromEntries([...environmentInputs(), toolingInput()].map((input) => [input.name, input]));
  // Environments added to the map are loaded too, after the committed ones.
  breakIt(byName as never);
  try {
    loadEnvironments(Object.values(byName));
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentConfigError);
    return (error as EnvironmentConfigError).problems.map((p) => `${p.environment}: ${p.field}: ${p.rule}`);
  }
  throw new Error("expected the configuration to be rejected");
}
