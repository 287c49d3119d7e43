import { tenantRoleName } from "../tenancy/tenant-session";

// Names of the pipeline's functions and roles, known before they exist: the data stack's perimeter names them, and
// this file imports nothing that would make the data stack's plan depend on the pipeline's code.

/** The steps of the analysis, each a job definition `<prefix>-<step>` with its roles. */
export const ANALYSIS_STEPS = ["identify", "aggregate", "publish-metrics"] as const;
export type AnalysisStep = (typeof ANALYSIS_STEPS)[number];

/** The role a step's job acts on customer data with, one tenant per session: `<prefix>-<step>-tenant`. */
export function analysisTenantRoleName(namePrefix: string, step: AnalysisStep): string {
  return tenantRoleName(`${namePrefix}-${step}`);
}

/** The validation function's name, also its role's (known before it exists, for the data perimeter). */
export function inputValidatorName(namePrefix: string): string {
  return `${namePrefix}-validate-analysis-input`;
}

/** The role of the state machine `name`: `<name>-sfn` (known before the machine exists, for grants elsewhere). */
export function stateMachineRoleName(name: string): string {
  return `${name}-sfn`;
}
