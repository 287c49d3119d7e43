import { PolicyStatement, accountRootArn } from "../iam/policy-document";

/** AWS managed policy of the platform-admin and break-glass roles. */
export const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";

/** AWS managed policy of the developer role: lists and describes resources, reads no data (no object, item, secret or log event). */
export const VIEW_ONLY_ACCESS = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess";

/** Longest time since the MFA sign-in a person may assume a human role after, in seconds. */
export const MFA_MAX_AGE_SECONDS = 3600;

/** Name of an IAM Identity Center permission set (1 to 32 characters of `[\w+=,.@-]`). */
const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;

/**
 * Trust of a human role: principals of the environment's own account (IAM users or roles their policies allow to)
 * signed in with MFA in the last {@link MFA_MAX_AGE_SECONDS} seconds, and, when listed, the roles IAM Identity Center
 * provisions into the account for these permission sets (`AWSReservedSSO_<set>_<suffix>`): Identity Center
 * enforces MFA at sign-in, and its sessions carry no `aws:MultiFactorAuthPresent`, so they are admitted by role ARN.
 * Principals are the account root with an `aws:PrincipalArn` condition, never role ARNs: a trust policy naming a role
 * is refused before the role exists and silently broken when it is recreated.
 */
export function humanTrust(accountId: string, identityCenterPermissionSets: readonly string[] = []): PolicyStatement[] {
  for (const name of identityCenterPermissionSets) {
    if (!PERMISSION_SET_NAME.test(name)) throw new Error(`IAM Identity Center permission set name "${name}" must be 1 to 32 characters of letters, digits and +=,.@_-`);
  }
  const root = { AWS: accountRootArn(accountId) };
  return [
    {
      Sid: "PeopleWithMfa",
      Effect: "Allow",
      Principal: root,
      Action: "sts:AssumeRole",
      Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" }, NumericLessThan: { "aws:MultiFactorAuthAge": String(MFA_MAX_AGE_SECONDS) } },
    },
    ...(identityCenterPermissionSets.length > 0
      ? [
          {
            Sid: "IdentityCenterPermissionSets",
            Effect: "Allow" as const,
            Principal: root,
            Action: "sts:AssumeRole",
            Condition: {
              ArnLike: {
                "aws:PrincipalArn": identityCenterPermissionSets.map((name) => `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_${name}_*`),
              },
            },
          },
        ]
      : []),
  ];
}

/** Trust of an automation role: the account root of `accountId`, for the one principal `principalArns` names. */
export function principalTrust(sid: string, accountId: string, principalArns: readonly string[]): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { AWS: accountRootArn(accountId) },
    Action: "sts:AssumeRole",
    Condition: { ArnEquals: { "aws:PrincipalArn": principalArns.length === 1 ? principalArns[0] : [...principalArns] } },
  };
}
