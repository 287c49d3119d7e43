import { AnyEnvironmentConfig, EnvironmentConfig } from "../environments";
import { malwareScanRoleName } from "../modules/data/upload-scanning";
import { IdentityRoleKind, identityRoleArn as roleArnOf, workloadBoundaryArn } from "../modules/identity/identity-names";
import { ANALYSIS_STEPS, analysisTenantRoleName, inputValidatorName, stateMachineRoleName } from "../modules/pipeline/pipeline-names";
import { tenantRoleName } from "../modules/tenancy/tenant-session";

/**
 * The layers of DESIGN.md §3, in dependency order: a workload environment's (state, identity, network, security,
 * data, cluster, platform, pipeline, apps) and the tooling environment's (state, identity, network, security,
 * atlantis, peering).
 */
export type Layer = "state" | "identity" | "network" | "security" | "data" | "cluster" | "platform" | "pipeline" | "apps" | "atlantis" | "peering";

/**
 * Layers applied by hand with an administrator's credentials, never through Atlantis: the state stack holds every
 * other state, the identity stack the roles Atlantis runs with (a role must not be able to widen itself).
 */
export const BOOTSTRAP_LAYERS: readonly Layer[] = ["state", "identity"];

/** `<env>-<layer>`: the stack's name, directory under cdktf.out/stacks and state key prefix. */
export function stackName(env: AnyEnvironmentConfig, layer: Layer): string {
  return `${env.name}-${layer}`;
}

/** `<project>-<env>`: the prefix of every resource name of the environment. */
export function namePrefix(env: AnyEnvironmentConfig): string {
  return `${env.project}-${env.name}`;
}

/** The EKS cluster's name, also the value of the `karpenter.sh/discovery` tags. */
export function clusterName(env: EnvironmentConfig): string {
  return `${namePrefix(env)}-eks`;
}

/**
 * A workload's Pod Identity role name, `<cluster>-<kebab-case role id>`: named after the role id, not the service
 * account (`aws-load-balancer-controller` would not fit IAM's 64 characters after the longest cluster name). Known
 * before the cluster stack exists, so the data stack's bucket policies can name the API's role.
 */
export function workloadRoleName(env: EnvironmentConfig, roleId: string): string {
  return `${clusterName(env)}-${roleId.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** Kubernetes namespace of the application workloads (API and front-end). */
export const APP_NAMESPACE = "proteomics";

/** The applications that own secrets in Secrets Manager, each read through its own SecretStore and role. */
export const SECRET_OWNERS = ["api", "frontend"] as const;
export type SecretOwner = (typeof SECRET_OWNERS)[number];

/** `<project>-<env>/<app>/`: where an application's secrets live in Secrets Manager. */
export function secretPrefix(env: AnyEnvironmentConfig, app: SecretOwner): string {
  return `${namePrefix(env)}/${app}/`;
}

/** The role an application's SecretStore reads its secrets with, `<cluster>-secrets-<app>`. */
export function secretReaderRoleName(env: EnvironmentConfig, app: SecretOwner): string {
  return `${clusterName(env)}-secrets-${app}`;
}

/** ARN of one of the roles an environment's identity stack creates (known before it exists, as its name is). */
export function identityRoleArn(env: AnyEnvironmentConfig, kind: IdentityRoleKind): string {
  return roleArnOf(env.awsAccountId, namePrefix(env), kind);
}

/** ARN of an environment's permissions boundary policy (created by its identity stack). */
export function permissionsBoundaryArn(env: AnyEnvironmentConfig): string {
  return workloadBoundaryArn(env.awsAccountId, namePrefix(env));
}

/** The analysis state machine's name, `<prefix>-analysis`. */
export function analysisStateMachineName(env: AnyEnvironmentConfig): string {
  return `${namePrefix(env)}-analysis`;
}

/**
 * The data perimeter: the only roles that may read or write customer objects (the uploads, work and results buckets,
 * and their key). The API's and each analysis step's tenant roles; the input validator and the analysis state
 * machine, which read every tenant's manifests; GuardDuty's malware scan, which reads and tags every upload; and
 * break-glass. Every other principal of the account, administrators and the deploy role included, is refused by the
 * bucket and key policies. Known before those roles exist (the data stack is applied first); a test checks that every
 * role granted customer data is listed here.
 */
export function customerDataRoleArns(env: EnvironmentConfig): string[] {
  const prefix = namePrefix(env);
  const roleArn = (name: string) => `arn:aws:iam::${env.awsAccountId}:role/${name}`;
  return [
    roleArn(tenantRoleName(workloadRoleName(env, "api"))),
    ...ANALYSIS_STEPS.map((step) => roleArn(analysisTenantRoleName(prefix, step))),
    roleArn(inputValidatorName(prefix)),
    roleArn(stateMachineRoleName(analysisStateMachineName(env))),
    roleArn(malwareScanRoleName(prefix)),
    identityRoleArn(env, "breakGlass"),
  ];
}
