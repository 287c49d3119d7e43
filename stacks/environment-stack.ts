import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Aspects, LocalBackend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AnyEnvironmentConfig } from "../environments";
import { GuardrailsAspect } from "../modules/guardrails/guardrails-aspect";
import { PRODUCTION_LOG_RETENTION_DAYS } from "../modules/guardrails/rule";
import { EnvironmentStateBackend } from "../modules/state/state-backend";
import { PermissionsBoundaryAspect } from "../modules/iam/permissions-boundary-aspect";
import { BOOTSTRAP_LAYERS, Layer, namePrefix, permissionsBoundaryArn, stackName } from "./naming";

/** Oldest Terraform every stack accepts: the S3 backend's lock file (`use_lockfile`) is generally available from it. */
export const MINIMUM_TERRAFORM_VERSION = "1.11.0";

export interface EnvironmentStackOptions {
  /**
   * Keep this stack's state in a local file (`terraform.<stack>.tfstate` at the repository root) instead of the
   * environment's state bucket. Only the state stack does this, until it has created the bucket. @default false
   */
  readonly localBackend?: boolean;
  /**
   * Networks outside the environment's VPC that this stack's private APIs (EKS control plane, RDS proxy) admit: the
   * guardrails refuse any other. @default none (the VPC only)
   */
  readonly apiClientCidrs?: readonly string[];
}

/**
 * Base of every stack: one environment, one layer. Sets the AWS provider (region, the only allowed account, default
 * tags), the remote state backend of the environment, and the guardrails. No role is written in the configuration:
 * the runner's credentials decide what a run may do (Atlantis's planner has the plan role, its applier the deploy
 * role, an engineer the profile of a role the identity stack creates), and `allowed_account_ids` refuses any other
 * account's.
 */
export abstract class EnvironmentStack extends TerraformStack {
  /** The validated environment this stack belongs to. */
  readonly env: AnyEnvironmentConfig;
  /** `<project>-<env>`. */
  readonly namePrefix: string;

  protected constructor(scope: Construct, layer: Layer, env: AnyEnvironmentConfig, options: EnvironmentStackOptions = {}) {
    const name = stackName(env, layer);
    super(scope, name);
    this.env = env;
    this.namePrefix = namePrefix(env);

    new AwsProvider(this, "aws", {
      region: env.region,
      allowedAccountIds: [env.awsAccountId],
      defaultTags: [
        {
          tags: {
            Project: env.project,
            Environment: env.name,
            ManagedBy: "cdktf",
            Owner: env.tags.owner,
            CostCenter: env.tags.costCenter,
            DataClassification: env.tags.dataClassification,
          },
        },
      ],
    });

    if (options.localBackend) {
      // Terraform runs in cdktf.out/stacks/<stack>; keep the file at the repository root so a re-synth keeps it.
      new LocalBackend(this, { path: `../../../terraform.${name}.tfstate` });
    } else {
      new EnvironmentStateBackend(this, {
        stackName: name,
        namePrefix: this.namePrefix,
        bucket: env.state.bucketName,
        region: env.region,
        accountId: env.awsAccountId,
      });
    }
    // The S3 backend's lock file (use_lockfile) is generally available from Terraform 1.11.
    this.addOverride("terraform.required_version", `>= ${MINIMUM_TERRAFORM_VERSION}, < 2.0.0`);
    if (!BOOTSTRAP_LAYERS.includes(layer)) Aspects.of(this).add(new PermissionsBoundaryAspect(permissionsBoundaryArn(env)));
    Aspects.of(this).add(
      new GuardrailsAspect({
        deletionProtectionRequired: env.protection.deletionProtection,
        finalSnapshotRequired: env.protection.finalSnapshot,
        // The state stack protects the state of every other stack, whatever the environment.
        preventDestroyRequired: env.protection.preventDestroy || layer === "state",
        multiAzRequired: env.tier === "production",
        minimumLogRetentionDays: env.tier === "production" ? PRODUCTION_LOG_RETENTION_DAYS : 1,
        privateApiClientCidrs: [env.network.vpcCidr, ...(options.apiClientCidrs ?? [])],
        executionDataInLogs: env.kind === "workload" && env.pipeline.executionDataInLogs,
      }),
    );
  }
}
