import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { AnyEnvironmentConfig, ToolingConfig } from "../environments";
import { atlantisTaskRoleName } from "../modules/atlantis/atlantis-server";
import { EnvironmentIdentity } from "../modules/identity/environment-identity";
import { lockTableName, stateKeyAliasArn } from "../modules/state/state-backend";
import { EnvironmentStack } from "./environment-stack";
import { namePrefix } from "./naming";

/**
 * `<env>-identity`: the roles everything else runs with, applied by hand once after the state stack (with the
 * platform-admin's or the account administrator's credentials; never by Atlantis, so no role can widen itself).
 * Every environment gets the human roles (platform-admin, developer, break-glass: MFA in their trust) and the
 * permissions boundary every other stack's role carries; a workload environment, with the tooling environment given,
 * also gets the plan role (assumable by Atlantis's planner) and the deploy role (by its applier only).
 */
export class IdentityStack extends EnvironmentStack {
  /** The roles and the boundary. */
  readonly identity: EnvironmentIdentity;

  constructor(scope: Construct, env: AnyEnvironmentConfig, tooling?: ToolingConfig) {
    super(scope, "identity", env);
    const taskRoleArn = (server: "planner" | "applier") =>
      `arn:aws:iam::${tooling!.awsAccountId}:role/${atlantisTaskRoleName(namePrefix(tooling!), server)}`;
    this.identity = new EnvironmentIdentity(this, "identity", {
      namePrefix: this.namePrefix,
      accountId: env.awsAccountId,
      region: env.region,
      state: {
        bucketName: env.state.bucketName,
        keyArn: stateKeyAliasArn({ namePrefix: this.namePrefix, region: env.region, accountId: env.awsAccountId }),
        lockTableName: lockTableName(this.namePrefix),
      },
      identityCenterPermissionSets: env.identity.identityCenterPermissionSets,
      automation:
        env.kind === "workload" && tooling
          ? { toolingAccountId: tooling.awsAccountId, plannerRoleArn: taskRoleArn("planner"), applierRoleArn: taskRoleArn("applier") }
          : undefined,
    });
    const roles = {
      "plan-role-arn": this.identity.planRole,
      "deploy-role-arn": this.identity.deployRole,
      "platform-admin-role-arn": this.identity.platformAdminRole,
      "developer-role-arn": this.identity.developerRole,
      "break-glass-role-arn": this.identity.breakGlassRole,
    };
    for (const [output, role] of Object.entries(roles)) {
      if (role) new TerraformOutput(this, output, { value: role.arn, description: `ARN of ${role.name}` });
    }
    new TerraformOutput(this, "permissions-boundary-arn", { value: this.identity.boundaryArn, description: "Boundary of every role the other stacks create" });
  }
}
