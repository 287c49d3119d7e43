/**
 * Names and ARNs of what an environment's identity stack creates. They are known before anything exists (IAM names
 * are chosen, not generated), so trust and permission policies name them as plain strings: a policy never refers to
 * a role by a Terraform reference, and other stacks (the boundary Aspect, EKS access entries, Atlantis) compute the
 * same ARNs without reading the identity stack's state.
 */

/** The roles of an environment's identity stack, by kind: the name suffix after `<project>-<env>-`. */
export const IDENTITY_ROLE_SUFFIXES = {
  plan: "terraform-plan",
  deploy: "terraform-deploy",
  platformAdmin: "platform-admin",
  developer: "developer",
  breakGlass: "break-glass",
} as const;

/** A role of the identity stack, by kind. */
export type IdentityRoleKind = keyof typeof IDENTITY_ROLE_SUFFIXES;

/** Every identity role kind. */
export const IDENTITY_ROLE_KINDS = Object.keys(IDENTITY_ROLE_SUFFIXES) as readonly IdentityRoleKind[];

/** The roles people assume (the others are assumed by Atlantis's tasks). */
export const HUMAN_ROLE_KINDS = ["platformAdmin", "developer", "breakGlass"] as const satisfies readonly IdentityRoleKind[];

/** Name suffix of the permissions boundary every role of the other stacks carries. */
export const WORKLOAD_BOUNDARY_SUFFIX = "workload-boundary";

/** `<namePrefix>-<suffix>`: the name of an identity role (`proteomics-dev-terraform-plan`). */
export function identityRoleName(namePrefix: string, kind: IdentityRoleKind): string {
  return `${namePrefix}-${IDENTITY_ROLE_SUFFIXES[kind]}`;
}

/** ARN of an identity role (no path). */
export function identityRoleArn(accountId: string, namePrefix: string, kind: IdentityRoleKind): string {
  return `arn:aws:iam::${accountId}:role/${identityRoleName(namePrefix, kind)}`;
}

/** Name of the workload permissions boundary, `<namePrefix>-workload-boundary`. */
export function workloadBoundaryName(namePrefix: string): string {
  return `${namePrefix}-${WORKLOAD_BOUNDARY_SUFFIX}`;
}

/** ARN of the workload permissions boundary (a customer managed policy, no path). */
export function workloadBoundaryArn(accountId: string, namePrefix: string): string {
  return `arn:aws:iam::${accountId}:policy/${workloadBoundaryName(namePrefix)}`;
}

/** ARN pattern of every role the stacks of the environment create (`role/<namePrefix>-*`). */
export function environmentRolesPattern(accountId: string, namePrefix: string): string {
  return `arn:aws:iam::${accountId}:role/${namePrefix}-*`;
}

/** ARN pattern of every customer managed policy of the environment (`policy/<namePrefix>-*`). */
export function environmentPoliciesPattern(accountId: string, namePrefix: string): string {
  return `arn:aws:iam::${accountId}:policy/${namePrefix}-*`;
}

/** ARN pattern of every instance profile of the environment (`instance-profile/<namePrefix>-*`). */
export function environmentInstanceProfilesPattern(accountId: string, namePrefix: string): string {
  return `arn:aws:iam::${accountId}:instance-profile/${namePrefix}-*`;
}
