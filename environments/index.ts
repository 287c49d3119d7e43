import { discoverEnvironments } from "./discover";

/**
 * Every environment as written, discovered from this directory (one file each, named after it); validate with
 * `loadEnvironments`. The workload environments in promotion order, then the tooling environment (Atlantis, the
 * peering hub; built first all the same).
 */
export const ENVIRONMENT_INPUTS = discoverEnvironments(__dirname);

export { allEnvironments, loadEnvironments, selectEnvironments } from "./load";
export type { LoadedEnvironments } from "./load";
export { discoverEnvironments } from "./discover";
export type { AnyEnvironmentInput } from "./discover";
export { EnvironmentConfigError } from "./config-error";
export type { AnyEnvironmentConfig, EnvironmentConfig, EnvironmentInput, ToolingConfig, ToolingInput } from "./schema";
