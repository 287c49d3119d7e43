import { App } from "cdktf";

/** One rule broken by one resource of one stack. */
export interface GuardrailViolation {
  /** Stack name, e.g. `dev-state`. */
  readonly stack: string;
  /** Terraform address of the offending resource or provider. */
  readonly address: string;
  /** Id of the broken rule. */
  readonly ruleId: string;
  /** What to change. */
  readonly message: string;
}

const reports = new WeakMap<App, Map<string, readonly GuardrailViolation[]>>();

/**
 * Records the violations found in one stack. The first record for an app registers one app-level validation, so
 * that `app.synth()` fails once, after every stack has been checked, with a message listing every violation.
 */
export function recordViolations(app: App, stack: string, violations: readonly GuardrailViolation[]): void {
  let report = reports.get(app);
  if (!report) {
    const created = new Map<string, readonly GuardrailViolation[]>();
    reports.set(app, created);
    app.node.addValidation({ validate: () => [...created.values()].flat().map(formatViolation) });
    report = created;
  }
  report.set(stack, violations);
}

/** Every violation recorded for the app so far (after its stacks' aspects have run). */
export function guardrailViolations(app: App): GuardrailViolation[] {
  return [...(reports.get(app)?.values() ?? [])].flat();
}

/** `[stack] address: rule-id: what to change` */
export function formatViolation(violation: GuardrailViolation): string {
  return `guardrail violation [${violation.stack}] ${violation.address}: ${violation.ruleId}: ${violation.message}`;
}
