import { dev } from "./dev";
import { prod } from "./prod";
import { staging } from "./staging";
import { tooling } from "./tooling";

/**
 * Every environment as written; validate with `loadEnvironments`. The workload environments in promotion order
 * (dev -> staging -> prod), then the tooling environment (Atlantis, the peering hub; built first all the same).
 */
export const ENVIRONMENT_INPUTS = [dev, staging, prod, tooling] as const;

export { allEnvironments, loadEnvironments, selectEnvironments } from "./load";
export type { LoadedEnvironments } from "./load";
export { EnvironmentConfigError } from "./config-error";
export type { AnyEnvironmentConfig, EnvironmentConfig, EnvironmentInput, ToolingConfig, ToolingInput } from "./schema";
