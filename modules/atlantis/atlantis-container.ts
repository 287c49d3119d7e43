import { ATLANTIS_DATA_DIR, ATLANTIS_HEALTH_PATH, ATLANTIS_PORT, ATLANTIS_SCRATCH_PATHS, ATLANTIS_USER } from "./atlantis-image";
import { FARGATE_MAX_STOP_TIMEOUT_SECONDS } from "./fargate-size";
import { ContainerSecret, GITHUB_APP_KEY_VARIABLE, GITHUB_WEBHOOK_SECRET_VARIABLE } from "./github-app-secrets";

/** Name of the Atlantis container in every task definition (the target of the load balancer). */
export const ATLANTIS_CONTAINER_NAME = "atlantis";

/** Task volume of the data directory (EFS, through the server's access point). */
export const DATA_VOLUME = "data";

/** Task volumes of the scratch paths (ephemeral, task-local), by path. */
export const SCRATCH_VOLUMES: Readonly<Record<(typeof ATLANTIS_SCRATCH_PATHS)[number], string>> = { "/tmp": "tmp", "/home/atlantis": "home" };

/**
 * Variables the construct sets itself; a server's `environment` may not set them (nor any secret: see
 * {@link SECRET_LIKE_VARIABLE}).
 */
export const RESERVED_VARIABLES = [
  "ATLANTIS_ATLANTIS_URL",
  "ATLANTIS_PORT",
  "ATLANTIS_DATA_DIR",
  "ATLANTIS_REPO_ALLOWLIST",
  "ATLANTIS_REPO_CONFIG",
  "ATLANTIS_REPO_CONFIG_JSON",
  "ATLANTIS_GH_APP_ID",
  "ATLANTIS_GH_APP_KEY_FILE",
  "ATLANTIS_WRITE_GIT_CREDS",
  GITHUB_APP_KEY_VARIABLE,
  GITHUB_WEBHOOK_SECRET_VARIABLE,
] as const;

/** Names of variables that hold credentials (tokens, passwords, secrets, keys): they go through `secrets` only. */
export const SECRET_LIKE_VARIABLE = /(SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|PRIVATE|_KEY$)/;

/** What one Atlantis container needs. */
export interface AtlantisContainerOptions {
  /** Image, `<repository url>:<tag>`. */
  readonly image: string;
  /** The server's public hostname (`ATLANTIS_ATLANTIS_URL` is `https://<hostname>`). */
  readonly hostname: string;
  /** GitHub App id (`ATLANTIS_GH_APP_ID`). */
  readonly githubAppId: number;
  /** Repositories the server accepts (`ATLANTIS_REPO_ALLOWLIST`). */
  readonly repositoryAllowlist: readonly string[];
  /** Server-side repo config, JSON (`ATLANTIS_REPO_CONFIG_JSON`). */
  readonly repoConfigJson: string;
  /** Further non-secret variables. */
  readonly environment: Readonly<Record<string, string>>;
  /** The GitHub App's secrets (`ATLANTIS_GH_APP_KEY`, `ATLANTIS_GH_WEBHOOK_SECRET`). */
  readonly secrets: readonly ContainerSecret[];
  /** Log group of the awslogs driver. */
  readonly logGroupName: string;
  /** Region of the log group. */
  readonly region: string;
  /** Prefix of the log streams (the server's id). */
  readonly streamPrefix: string;
}

/**
 * The Atlantis container: the image's non-root `atlantis` user, read-only root file system (Atlantis writes only to
 * its data directory on EFS and to `/tmp` and its home, which are task-local volumes), every Linux capability
 * dropped, the GitHub App's key and webhook secret as ECS `secrets` (never in `environment`), the server's settings as
 * plain variables, logs to CloudWatch, a health check on `/healthz`, and the longest stop timeout Fargate allows so a
 * running plan or apply can finish on SIGTERM (the image's dumb-init forwards it to Atlantis only).
 */
export function atlantisContainerDefinition(options: AtlantisContainerOptions): Record<string, unknown> {
  for (const name of Object.keys(options.environment)) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`Atlantis: environment variable "${name}" must be upper case letters, digits and underscores`);
    if ((RESERVED_VARIABLES as readonly string[]).includes(name)) throw new Error(`Atlantis: environment variable ${name} is set by the construct; use its own property`);
    if (SECRET_LIKE_VARIABLE.test(name)) {
      throw new Error(`Atlantis: environment variable ${name} looks like a secret; plain variables are visible in the task definition, put it in Secrets Manager`);
    }
  }
  try {
    JSON.parse(options.repoConfigJson);
  } catch (error) {
    throw new Error(`Atlantis: repoConfigJson is not JSON (${(error as Error).message})`, { cause: error });
  }
  const environment: Record<string, string> = {
    ...Object.fromEntries(Object.entries(options.environment).map(([name, value]) => [name, terraformLiteral(value)])),
    ATLANTIS_ATLANTIS_URL: `https://${options.hostname}`,
    ATLANTIS_PORT: String(ATLANTIS_PORT),
    ATLANTIS_DATA_DIR: ATLANTIS_DATA_DIR,
    ATLANTIS_REPO_ALLOWLIST: terraformLiteral(options.repositoryAllowlist.join(",")),
    ATLANTIS_REPO_CONFIG_JSON: terraformLiteral(options.repoConfigJson),
    ATLANTIS_GH_APP_ID: String(options.githubAppId),
    ATLANTIS_WRITE_GIT_CREDS: "true",
  };
  return {
    name: ATLANTIS_CONTAINER_NAME,
    image: options.image,
    essential: true,
    user: `${ATLANTIS_USER.uid}:${ATLANTIS_USER.gid}`,
    readonlyRootFilesystem: true,
    privileged: false,
    linuxParameters: { capabilities: { drop: ["ALL"] } },
    portMappings: [{ containerPort: ATLANTIS_PORT, protocol: "tcp" }],
    environment: Object.entries(environment)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({ name, value })),
    secrets: options.secrets.map((secret) => ({ name: secret.name, valueFrom: secret.valueFrom })),
    mountPoints: [
      { sourceVolume: DATA_VOLUME, containerPath: ATLANTIS_DATA_DIR, readOnly: false },
      ...ATLANTIS_SCRATCH_PATHS.map((path) => ({ sourceVolume: SCRATCH_VOLUMES[path], containerPath: path, readOnly: false })),
    ],
    healthCheck: {
      command: ["CMD-SHELL", `curl -fsS http://localhost:${ATLANTIS_PORT}${ATLANTIS_HEALTH_PATH} || exit 1`],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 60,
    },
    stopTimeout: FARGATE_MAX_STOP_TIMEOUT_SECONDS,
    logConfiguration: {
      logDriver: "awslogs",
      options: { "awslogs-group": options.logGroupName, "awslogs-region": options.region, "awslogs-stream-prefix": options.streamPrefix },
    },
  };
}

/**
 * `value` as a literal in Terraform's JSON syntax, where every string is a template: `${` and `%{` are escaped
 * (`$${`, `%%{`) so that a repo config's shell variables reach the container as written instead of being evaluated
 * by Terraform.
 */
export function terraformLiteral(value: string): string {
  return value.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}
