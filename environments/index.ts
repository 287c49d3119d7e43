import { dev } from "./dev";
import { prod } from "./prod";
import { staging } from "./staging";

/** Every environment, in promotion order (dev -> staging -> prod), as written; validate with `loadEnvironments`. */
export const ENVIRONMENT_INPUTS = [dev, staging, prod] as const;

export { loadEnvironments, selectEnvironments } from "./load";
export { EnvironmentConfigError } from "./config-error";
export type { EnvironmentConfig, EnvironmentInput } from "./schema";
