import { ATLANTIS_SERVER_IDS } from "../atlantis/atlantis-names";
import { stackDirectory } from "./atlantis-config";

/**
 * The Atlantis servers' own repo configs (passed as `ATLANTIS_REPO_CONFIG_JSON` by the tooling-atlantis stack, and
 * written to atlantis-server/*.yaml for review): everything that decides what a pull request may run lives here, on
 * the servers, out of the pull request's reach. The repository's `atlantis.yaml` only lists projects: it may not
 * choose a workflow, define one, or lower a requirement (no `allowed_overrides`, `allow_custom_workflows: false`).
 *
 * Two servers keep a pull request's code away from apply credentials:
 * - the **planner** plans every pull request (autoplan and `atlantis plan`). It installs and synthesizes unreviewed
 *   code, so its task can assume only the environments' plan roles (read-only, no data, no secrets). It cannot apply.
 * - the **applier** (`deploy plan`, `deploy apply`) runs nothing before a pull request is approved by the platform
 *   team, mergeable and up to date: no pre-workflow hook (hooks run before requirements are checked), requirements
 *   on plan as well as apply, only the deploy team's members may comment its commands. Its task can assume only the
 *   environments' deploy roles.
 */

/** The repository Atlantis serves (`{VCS host}/{org}/{repo}`); the servers' `--repo-allowlist` names it too. */
export const ATLANTIS_REPOSITORY = "github.com/proteomics-platform/infrastructure";

/** The one workflow: the projects are synthesized stacks; it plans (and, on the applier, applies) the project's stack. */
export const ATLANTIS_WORKFLOW = "cdktf";

/** What the applier requires of a pull request before it runs anything: approved by the platform team, mergeable, up to date. */
export const APPLY_REQUIREMENTS = ["approved", "mergeable", "undiverged"] as const;

/** The two Atlantis servers. */
export const ATLANTIS_SERVERS = ATLANTIS_SERVER_IDS;
export type AtlantisServer = (typeof ATLANTIS_SERVERS)[number];

/** The identity-stack role each server's runs use in an environment, and the AWS profile suffix that selects it. */
export const SERVER_ROLE: Readonly<Record<AtlantisServer, "plan" | "deploy">> = { planner: "plan", applier: "deploy" };

/** Comment command of each server: `atlantis plan` on the planner, `deploy plan` / `deploy apply` on the applier. */
export const EXECUTABLE_NAME: Readonly<Record<AtlantisServer, string>> = { planner: "atlantis", applier: "deploy" };

/** The comment commands each server accepts (`--allow-commands`): the planner cannot apply. */
export const ALLOWED_COMMANDS: Readonly<Record<AtlantisServer, readonly string[]>> = {
  planner: ["version", "plan", "unlock"],
  applier: ["version", "plan", "apply", "unlock"],
};

/**
 * Server flags of each server (`ATLANTIS_*` environment variables of its task), besides those the ECS construct
 * sets. The applier answers only `deploy ...` comments of the deploy team's members, and never plans on its own.
 */
export function serverFlags(server: AtlantisServer, deployTeam: string): Record<string, string> {
  const common = { ATLANTIS_EXECUTABLE_NAME: EXECUTABLE_NAME[server], ATLANTIS_ALLOW_COMMANDS: ALLOWED_COMMANDS[server].join(",") };
  if (server === "planner") return common;
  return {
    ...common,
    ATLANTIS_DISABLE_AUTOPLAN: "true",
    ATLANTIS_GH_TEAM_ALLOWLIST: [...ALLOWED_COMMANDS.applier.filter((command) => command !== "version").map((command) => `${deployTeam}:${command}`), "*:version"].join(","),
  };
}

const run = (command: string) => ({ run: command });

/**
 * Installs the locked dependencies (without install scripts, and only when the lockfile changed: pull requests share
 * the checkout's node_modules between commands) and synthesizes every environment. The synthesis is deterministic,
 * so every project's directory holds what its plan is reviewed on.
 */
export const INSTALL_AND_SYNTHESIZE =
  'lock=$(sha256sum package-lock.json | cut -d" " -f1); [ "$(cat node_modules/.installed-lock 2>/dev/null)" = "$lock" ] || ' +
  '{ npm ci --ignore-scripts --no-audit --no-fund && echo "$lock" > node_modules/.installed-lock; }; ' +
  "CHECKPOINT_DISABLE=1 npm run synth";

/**
 * The AWS profile a run uses, `<environment>-<plan|deploy>` (atlantis-server/aws-config, in the image): Terraform, its
 * backend and `aws eks get-token` all assume the environment's role from the task's credentials through it, and
 * refresh them during a long apply.
 */
export function profileStep(server: AtlantisServer) {
  return { env: { name: "AWS_PROFILE", command: `echo "\${PROJECT_NAME%%-*}-${SERVER_ROLE[server]}"` } };
}

/**
 * The `cdktf` workflow of a server: init and a saved plan of the project's stack; apply is init again and exactly
 * the saved plan. The applier synthesizes inside each step (after its requirements passed), never in a hook.
 */
function workflow(server: AtlantisServer) {
  const terraform = `terraform -chdir=${stackDirectory("$PROJECT_NAME")}`;
  const environment = [{ env: { name: "CHECKPOINT_DISABLE", value: "1" } }, { env: { name: "TF_IN_AUTOMATION", value: "true" } }, profileStep(server)];
  const synthesize = server === "applier" ? [run(INSTALL_AND_SYNTHESIZE)] : [];
  const init = run(`${terraform} init -input=false`);
  return {
    plan: { steps: [...environment, ...synthesize, init, run(`${terraform} plan -input=false -out=$PLANFILE`)] },
    apply: { steps: [...environment, ...synthesize, init, run(`${terraform} apply -input=false $PLANFILE`)] },
  };
}

/** The server-side repo config of one server. */
export function atlantisServerConfig(server: AtlantisServer) {
  const requirements = [...APPLY_REQUIREMENTS];
  return {
    repos: [
      {
        id: ATLANTIS_REPOSITORY,
        // Pull requests into main only: main is what is applied everywhere.
        branch: "/^main$/",
        ...(server === "applier" ? { plan_requirements: requirements } : {}),
        apply_requirements: requirements,
        import_requirements: requirements,
        workflow: ATLANTIS_WORKFLOW,
        allowed_workflows: [ATLANTIS_WORKFLOW],
        allowed_overrides: [],
        allow_custom_workflows: false,
        delete_source_branch_on_merge: false,
        repo_locks: { mode: "on_plan" },
        ...(server === "planner"
          ? { pre_workflow_hooks: [{ run: INSTALL_AND_SYNTHESIZE, description: "npm ci (locked, no install scripts) and the synthesis of every environment (npm run synth)" }] }
          : {}),
      },
    ],
    workflows: { [ATLANTIS_WORKFLOW]: workflow(server) },
  };
}

/** What the delivery flow needs of an environment to write the servers' AWS profiles. */
export interface ProfileEnvironment {
  /** Environment name, e.g. `dev`. */
  readonly name: string;
  /** Its region. */
  readonly region: string;
  /** ARN of its identity stack's role of each kind. */
  readonly roleArns: Readonly<Record<"plan" | "deploy", string>>;
}

/**
 * atlantis-server/aws-config: one profile per environment and role, assumed from the ECS task's own credentials
 * (`credential_source = EcsContainer`). IAM decides what each server may assume: the planner's task role can assume
 * the plan roles only, so its deploy profiles fail.
 */
export function awsProfiles(environments: readonly ProfileEnvironment[]): string {
  return environments
    .flatMap((env) =>
      (["plan", "deploy"] as const).map((role) =>
        [`[profile ${env.name}-${role}]`, `role_arn = ${env.roleArns[role]}`, "credential_source = EcsContainer", `role_session_name = atlantis-${role}`, `region = ${env.region}`].join("\n"),
      ),
    )
    .join("\n\n");
}
