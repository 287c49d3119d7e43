import { IdentityStatement } from "./identity-statement";
import {
  IDENTITY_ROLE_KINDS,
  environmentInstanceProfilesPattern,
  environmentPoliciesPattern,
  environmentRolesPattern,
  identityRoleArn,
  workloadBoundaryArn,
} from "./identity-names";
import { IdentityScope, denyStateAdministrationStatements } from "./state-access";

/**
 * The AWS managed policies the stacks attach to their roles (`managedPolicyArns`, `attachManagedPolicy` in modules/
 * and stacks/): the only AWS managed policies the deploy role may attach. A stack that attaches another fails
 * {@link policyArnsOutsideAllowList} in the stack tests; add the policy here only after reading what it grants.
 */
export const DEPLOY_ATTACHABLE_AWS_MANAGED_POLICIES: readonly string[] = [
  // EKS control plane (modules/cluster/eks-cluster.ts).
  "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
  // EKS nodes: system node group and Karpenter's nodes (modules/cluster/system-node-group.ts).
  "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
  "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
  // Session Manager on nodes, Batch instances and the session host.
  "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
  // Pod Identity roles of add-ons (stacks/cluster-stack.ts).
  "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
  "arn:aws:iam::aws:policy/AmazonEBSCSIDriverEKSClusterScopedPolicy",
  // RDS Enhanced Monitoring (modules/data/metrics-database.ts).
  "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
  // Batch's ECS container instances (modules/pipeline/batch-compute.ts).
  "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
  // AWS Config's recorder (modules/security/config-recorder.ts).
  "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole",
];

/** Every policy ARN pattern the deploy role may attach to a role: the AWS managed allow-list and the environment's own policies. */
export function attachablePolicyPatterns(accountId: string, namePrefix: string): string[] {
  return [...DEPLOY_ATTACHABLE_AWS_MANAGED_POLICIES, environmentPoliciesPattern(accountId, namePrefix)];
}

/**
 * The policy ARNs of `policyArns` the deploy role may not attach: an AWS managed policy outside
 * {@link DEPLOY_ATTACHABLE_AWS_MANAGED_POLICIES}, another account's policy, a customer policy not named
 * `<namePrefix>-*`, or the workload boundary itself (which allows everything as a permissions policy). Stack tests
 * pass every `policy_arn` of their `aws_iam_role_policy_attachment`s, references resolved to ARNs.
 */
export function policyArnsOutsideAllowList(policyArns: readonly string[], accountId: string, namePrefix: string): string[] {
  const customer = new RegExp(`^arn:aws:iam::${accountId}:policy/${namePrefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-[\\w+=,.@-]+$`);
  const boundary = workloadBoundaryArn(accountId, namePrefix);
  return policyArns.filter((arn) => arn === boundary || !(DEPLOY_ATTACHABLE_AWS_MANAGED_POLICIES.includes(arn) || customer.test(arn)));
}

/** IAM writes on a role that carry `iam:PermissionsBoundary` (the role's boundary, or the one being set), per the service authorization reference. */
export const BOUNDED_ROLE_ACTIONS = [
  "iam:CreateRole",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:DetachRolePolicy",
  "iam:UpdateAssumeRolePolicy",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
  "iam:DeleteRole",
] as const;

/** Actions on a customer managed policy (create, version, tag, delete). */
const POLICY_ACTIONS = [
  "iam:CreatePolicy",
  "iam:CreatePolicyVersion",
  "iam:DeletePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:DeletePolicy",
  "iam:TagPolicy",
  "iam:UntagPolicy",
] as const;

/** Actions on an instance profile (adding a role to one also takes iam:PassRole on the role). */
const INSTANCE_PROFILE_ACTIONS = [
  "iam:CreateInstanceProfile",
  "iam:DeleteInstanceProfile",
  "iam:AddRoleToInstanceProfile",
  "iam:RemoveRoleFromInstanceProfile",
  "iam:TagInstanceProfile",
  "iam:UntagInstanceProfile",
] as const;

/**
 * The deploy role's permissions: everything except IAM, Organizations and account settings; in IAM, the environment's
 * own roles (`<prefix>-*`) only with the workload boundary, its own policies, instance profiles and service-linked
 * roles. It cannot touch the identity roles or the boundary, remove a boundary, attach a policy outside the
 * allow-list, assume a role, or reconfigure the state layer.
 */
export function deployRoleStatements(scope: IdentityScope): IdentityStatement[] {
  const { accountId, namePrefix } = scope;
  const roles = environmentRolesPattern(accountId, namePrefix);
  const boundary = workloadBoundaryArn(accountId, namePrefix);
  const withBoundary = { StringEquals: { "iam:PermissionsBoundary": boundary } };
  const identityRoles = IDENTITY_ROLE_KINDS.map((kind) => identityRoleArn(accountId, namePrefix, kind));
  return [
    { Sid: "ManageEverythingButIdentity", Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" },
    { Sid: "ReadIam", Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: "*" },
    { Sid: "ManageBoundedRoles", Effect: "Allow", Action: [...BOUNDED_ROLE_ACTIONS], Resource: roles, Condition: withBoundary },
    {
      Sid: "AttachAllowedPolicies",
      Effect: "Allow",
      Action: "iam:AttachRolePolicy",
      Resource: roles,
      Condition: { ...withBoundary, ArnLike: { "iam:PolicyARN": attachablePolicyPatterns(accountId, namePrefix) } },
    },
    // Neither action carries iam:PermissionsBoundary; the identity roles are denied below.
    { Sid: "TagRoles", Effect: "Allow", Action: ["iam:TagRole", "iam:UntagRole"], Resource: roles },
    { Sid: "PassRoles", Effect: "Allow", Action: "iam:PassRole", Resource: roles },
    { Sid: "ManagePolicies", Effect: "Allow", Action: [...POLICY_ACTIONS], Resource: environmentPoliciesPattern(accountId, namePrefix) },
    { Sid: "ManageInstanceProfiles", Effect: "Allow", Action: [...INSTANCE_PROFILE_ACTIONS], Resource: environmentInstanceProfilesPattern(accountId, namePrefix) },
    { Sid: "CreateServiceLinkedRoles", Effect: "Allow", Action: "iam:CreateServiceLinkedRole", Resource: `arn:aws:iam::${accountId}:role/aws-service-role/*` },
    // Explicit denies: whatever the statements above (or a policy attached later) allow.
    { Sid: "DenyIdentityChanges", Effect: "Deny", NotAction: ["iam:Get*", "iam:List*"], Resource: [...identityRoles, boundary] },
    { Sid: "DenyBoundaryRemoval", Effect: "Deny", Action: ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"], Resource: "*" },
    {
      Sid: "DenyBoundaryAsPermissions",
      Effect: "Deny",
      Action: ["iam:AttachRolePolicy", "iam:AttachUserPolicy", "iam:AttachGroupPolicy"],
      Resource: "*",
      Condition: { ArnEquals: { "iam:PolicyARN": boundary } },
    },
    { Sid: "DenyRoleChaining", Effect: "Deny", Action: "sts:AssumeRole", Resource: "*" },
    ...denyStateAdministrationStatements(scope),
  ];
}
