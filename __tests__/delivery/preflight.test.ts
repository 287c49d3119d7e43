import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AnyEnvironmentConfig } from "../../environments";
import { preflightChecks } from "../../modules/delivery/preflight";
import { identityRoleArn } from "../../stacks/naming";
import { TOOLING, environment } from "../helpers/environments";
import { runNpmScript } from "../helpers/npm-script";

// The preflight, run against stubbed `terraform` and `aws` binaries: shell scripts on PATH that answer as the real
// ones do, one scenario at a time.

const dev = environment("dev");

interface Scenario {
  readonly terraform?: string;
  readonly awsCli?: string;
  readonly account?: string;
  readonly planRole?: "allowed" | "denied";
}

/** A directory with stub binaries for `scenario`. */
function stubs(scenario: Scenario): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preflight-"));
  const write = (name: string, body: string) => fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  if (scenario.terraform) write("terraform", `echo '{"terraform_version":"${scenario.terraform}","platform":"linux_amd64"}'`);
  if (scenario.awsCli)
    write(
      "aws",
      [
        'case "$1 $2" in',
        `  "--version ") echo "aws-cli/${scenario.awsCli} Python/3.13 Linux/6 exe/x86_64" ;;`,
        scenario.account
          ? `  "sts get-caller-identity") echo '{"Account":"${scenario.account}","Arn":"arn:aws:sts::${scenario.account}:assumed-role/proteomics-dev-developer/ana"}' ;;`
          : '  "sts get-caller-identity") echo "Unable to locate credentials." >&2; exit 255 ;;',
        scenario.planRole === "allowed"
          ? `  "sts assume-role") echo '{"Credentials":{}}' ;;`
          : '  "sts assume-role") echo "An error occurred (AccessDenied) when calling the AssumeRole operation: not authorized" >&2; exit 254 ;;',
        "esac",
      ].join("\n"),
    );
  return dir;
}

/** The checks of `env` with the stubs of `scenario` (and nothing else) on PATH. */
function checksWith(scenario: Scenario, env: AnyEnvironmentConfig = dev) {
  const dir = stubs(scenario);
  return preflightChecks(env, (command, args) => {
    const binary = path.join(dir, command);
    if (!fs.existsSync(binary)) return { status: null, stdout: "", stderr: `spawn ${command} ENOENT` };
    const result = spawnSync(binary, [...args], { encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  });
}
const summary = (checks: ReturnType<typeof checksWith>) => checks.map((check) => `${check.ok ? "ok" : "FAIL"} ${check.name}: ${check.detail}`);
const READY: Scenario = { terraform: "1.14.9", awsCli: "2.36.7", account: dev.awsAccountId, planRole: "allowed" };

describe("npm run preflight", () => {
  it("passes with Terraform 1.11+, the AWS CLI v2, the environment's account and its plan role", () => {
    expect(summary(checksWith(READY))).toEqual([
      "ok terraform: 1.14.9",
      "ok aws-cli: 2.36.7",
      `ok account: arn:aws:sts::${dev.awsAccountId}:assumed-role/proteomics-dev-developer/ana`,
      `ok plan-role: ${identityRoleArn(dev, "plan")}`,
    ]);
  });

  it.each<[string, Scenario, string]>([
    ["an old Terraform", { ...READY, terraform: "1.9.8" }, "FAIL terraform: 1.9.8: the stacks need >= 1.11.0, < 2.0.0 (the S3 backend's lock file)"],
    ["no Terraform", { ...READY, terraform: undefined }, "FAIL terraform: not found: install Terraform 1.11.0 or later below 2.0 (https://developer.hashicorp.com/terraform/install)"],
    ["the AWS CLI v1", { ...READY, awsCli: "1.45.11" }, "FAIL aws-cli: 1.45.11: the AWS CLI v2 is needed"],
    [
      "another environment's credentials",
      { ...READY, account: "777788889999" },
      `FAIL account: arn:aws:sts::777788889999:assumed-role/proteomics-dev-developer/ana is in account 777788889999, not dev's ${dev.awsAccountId}: select the environment's profile (export AWS_PROFILE=dev-admin)`,
    ],
    ["no credentials", { ...READY, account: undefined }, "FAIL account: no AWS credentials (Unable to locate credentials.): export AWS_PROFILE=dev-admin (docs/provisioning.md, Credentials)"],
    [
      "a caller the plan role does not trust",
      { ...READY, planRole: "denied" },
      `FAIL plan-role: cannot assume ${identityRoleArn(dev, "plan")} (An error occurred (AccessDenied) when calling the AssumeRole operation: not authorized): is dev-identity applied (docs/provisioning.md, step 2), and are you its developer or platform-admin?`,
    ],
  ])("names the fix for %s", (_case, scenario, expected) => {
    expect(summary(checksWith(scenario))).toContain(expected);
  });

  it("checks no plan role in the tooling account (its stacks are applied by its platform-admin)", () => {
    expect(checksWith({ ...READY, account: TOOLING.awsAccountId }, TOOLING).map((check) => check.name)).toEqual(["terraform", "aws-cli", "account"]);
  });

  it("runs as an npm script: a line per check, non-zero on a failure, and the known environments on a wrong name", () => {
    const dir = stubs({ ...READY, account: "777788889999" });
    const run = (name: string) =>
      runNpmScript("preflight", [name], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
    const wrongAccount = run("dev");
    expect(wrongAccount.status).toBe(1);
    expect(wrongAccount.stdout).toContain("FAIL account:");
    const unknown = run("not-an-environment");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown environment "not-an-environment" (known: ');
  });
});
