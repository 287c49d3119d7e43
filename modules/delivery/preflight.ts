import { AnyEnvironmentConfig } from "../../environments";
import { MINIMUM_TERRAFORM_VERSION } from "../../stacks/environment-stack";
import { identityRoleArn } from "../../stacks/naming";

/** What running a command gave. */
export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command (`aws`, `terraform`) with its arguments. */
export type CommandRunner = (command: string, args: readonly string[]) => CommandResult;

/** One check: passed, or failed with the fix. */
export interface PreflightCheck {
  readonly name: string;
  readonly ok: boolean;
  /** What was found, and when it failed, what to do. */
  readonly detail: string;
}

const version = (text: string) => text.match(/(\d+)\.(\d+)\.(\d+)/)?.slice(1, 4).map(Number);
const atLeast = (found: readonly number[], minimum: readonly number[]) => {
  for (const [index, part] of minimum.entries()) if (found[index] !== part) return found[index] > part;
  return true;
};

/**
 * What a person about to run Terraform against `env` needs, checked before anything runs: Terraform and the AWS CLI
 * in the versions the stacks need, credentials of the environment's account (every stack refuses any other), and,
 * for a workload environment, that those credentials may assume its plan role (what `cdktf diff` runs with).
 */
export function preflightChecks(env: AnyEnvironmentConfig, run: CommandRunner): PreflightCheck[] {
  const checks: PreflightCheck[] = [];
  const terraform = run("terraform", ["version", "-json"]);
  const terraformVersion = terraform.status === 0 ? version(JSON.parse(terraform.stdout).terraform_version ?? "") : undefined;
  const minimum = version(MINIMUM_TERRAFORM_VERSION)!;
  checks.push({
    name: "terraform",
    ok: terraformVersion !== undefined && atLeast(terraformVersion, minimum) && terraformVersion[0] < 2,
    detail:
      terraformVersion === undefined
        ? `not found: install Terraform ${MINIMUM_TERRAFORM_VERSION} or later below 2.0 (https://developer.hashicorp.com/terraform/install)`
        : `${terraformVersion.join(".")}${atLeast(terraformVersion, minimum) && terraformVersion[0] < 2 ? "" : `: the stacks need >= ${MINIMUM_TERRAFORM_VERSION}, < 2.0.0 (the S3 backend's lock file)`}`,
  });

  const aws = run("aws", ["--version"]);
  const awsVersion = aws.status === 0 ? version(`${aws.stdout} ${aws.stderr}`.match(/aws-cli\/(\S+)/)?.[1] ?? "") : undefined;
  checks.push({
    name: "aws-cli",
    ok: awsVersion !== undefined && awsVersion[0] === 2,
    detail: awsVersion === undefined ? "not found: install the AWS CLI v2 (the Kubernetes and Helm providers run aws eks get-token)" : `${awsVersion.join(".")}${awsVersion[0] === 2 ? "" : ": the AWS CLI v2 is needed"}`,
  });

  const identity = run("aws", ["sts", "get-caller-identity", "--output", "json"]);
  const caller = identity.status === 0 ? (JSON.parse(identity.stdout) as { Account: string; Arn: string }) : undefined;
  checks.push({
    name: "account",
    ok: caller?.Account === env.awsAccountId,
    detail:
      caller === undefined
        ? `no AWS credentials (${identity.stderr.trim().split("\n").pop() ?? "aws sts get-caller-identity failed"}): export AWS_PROFILE=${env.name}-admin (docs/provisioning.md, Credentials)`
        : caller.Account === env.awsAccountId
          ? `${caller.Arn}`
          : `${caller.Arn} is in account ${caller.Account}, not ${env.name}'s ${env.awsAccountId}: select the environment's profile (export AWS_PROFILE=${env.name}-admin)`,
  });

  if (env.kind === "workload" && caller?.Account === env.awsAccountId) {
    const planRole = identityRoleArn(env, "plan");
    const assume = run("aws", ["sts", "assume-role", "--role-arn", planRole, "--role-session-name", "preflight", "--duration-seconds", "900", "--output", "json"]);
    checks.push({
      name: "plan-role",
      ok: assume.status === 0,
      detail:
        assume.status === 0
          ? planRole
          : `cannot assume ${planRole} (${assume.stderr.trim().split("\n").pop()}): is ${env.name}-identity applied (docs/provisioning.md, step 2), and are you its developer or platform-admin?`,
    });
  }
  return checks;
}
