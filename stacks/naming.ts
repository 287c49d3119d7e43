import { EnvironmentConfig } from "../environments";

/** The layers of DESIGN.md §3, in dependency order. */
export type Layer = "state" | "network" | "data" | "cluster" | "platform" | "pipeline" | "apps";

/** `<env>-<layer>`: the stack's name, directory under cdktf.out/stacks and state key prefix. */
export function stackName(env: EnvironmentConfig, layer: Layer): string {
  return `${env.name}-${layer}`;
}

/** `<project>-<env>`: the prefix of every resource name of the environment. */
export function namePrefix(env: EnvironmentConfig): string {
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
