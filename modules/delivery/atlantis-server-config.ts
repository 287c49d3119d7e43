import { stackDirectory } from "./atlantis-config";

/**
 * The Atlantis server's own repo config (`repos.yaml`, passed with `--repo-config` or as `ATLANTIS_REPO_CONFIG_JSON`):
 * everything that decides what a pull request may run lives here, on the server, out of the pull request's reach.
 * The repository's `atlantis.yaml` only lists projects: it may not choose a workflow, define one, or lower a
 * requirement (no `allowed_overrides`, `allow_custom_workflows: false`), so a pull request can neither replace the
 * plan and apply steps nor drop the approval that production applies need.
 */

/** The repository Atlantis serves (`{VCS host}/{org}/{repo}`); the server's `--repo-allowlist` names it too. */
export const ATLANTIS_REPOSITORY = "github.com/proteomics-platform/infrastructure";

/** The one workflow: the projects are synthesized stacks; it plans and applies the project's stack. */
export const ATLANTIS_WORKFLOW = "cdktf";

/** Every apply (and import) needs a pull request approved by the platform team, mergeable and up to date. */
export const APPLY_REQUIREMENTS = ["approved", "mergeable", "undiverged"] as const;

const run = (command: string) => ({ run: command });

/**
 * Installs the locked dependencies (without install scripts, and only when the lockfile changed: pull requests share
 * the checkout's node_modules between commands) and synthesizes every environment, once per command before any
 * project runs. The synthesis is deterministic, so every project's directory holds what its plan is reviewed on.
 */
export const INSTALL_AND_SYNTHESIZE =
  'lock=$(sha256sum package-lock.json | cut -d" " -f1); [ "$(cat node_modules/.installed-lock 2>/dev/null)" = "$lock" ] || ' +
  '{ npm ci --ignore-scripts --no-audit --no-fund && echo "$lock" > node_modules/.installed-lock; }; ' +
  "CHECKPOINT_DISABLE=1 npm run synth";

/**
 * The `cdktf` workflow: init and a saved plan of the project's synthesized stack; apply is init again (a later
 * command's synthesis replaced the directory and its providers) and exactly the saved plan, nothing else.
 */
function workflow() {
  const terraform = `terraform -chdir=${stackDirectory("$PROJECT_NAME")}`;
  const environment = [{ env: { name: "CHECKPOINT_DISABLE", value: "1" } }, { env: { name: "TF_IN_AUTOMATION", value: "true" } }];
  const init = run(`${terraform} init -input=false`);
  return {
    plan: { steps: [...environment, init, run(`${terraform} plan -input=false -out=$PLANFILE`)] },
    apply: { steps: [...environment, init, run(`${terraform} apply -input=false $PLANFILE`)] },
  };
}

/** The server-side repo config of this repository. */
export function atlantisServerConfig() {
  return {
    repos: [
      {
        id: ATLANTIS_REPOSITORY,
        // Pull requests into main only: main is what is applied everywhere.
        branch: "/^main$/",
        apply_requirements: [...APPLY_REQUIREMENTS],
        import_requirements: [...APPLY_REQUIREMENTS],
        workflow: ATLANTIS_WORKFLOW,
        allowed_workflows: [ATLANTIS_WORKFLOW],
        allowed_overrides: [],
        allow_custom_workflows: false,
        delete_source_branch_on_merge: false,
        repo_locks: { mode: "on_plan" },
        pre_workflow_hooks: [{ run: INSTALL_AND_SYNTHESIZE, description: "npm ci (locked, no install scripts) and the synthesis of every environment (npm run synth)" }],
      },
    ],
    workflows: { [ATLANTIS_WORKFLOW]: workflow() },
  };
}
