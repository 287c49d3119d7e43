/** One broken rule of an environment config: which environment, which field, what the rule requires. */
export interface ConfigProblem {
  /** Environment name (or its position when the name itself is unusable). */
  readonly environment: string;
  /** Dotted path of the field, e.g. `network.vpcCidr`. */
  readonly field: string;
  /** What the rule requires, and what was found. */
  readonly rule: string;
}

/** Thrown before anything is synthesized when one or more environment configs break a rule. */
export class EnvironmentConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid environment configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p.environment}: ${p.field}: ${p.rule}`).join("\n"),
    );
    this.name = "EnvironmentConfigError";
  }
}
