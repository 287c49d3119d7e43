import { karpenterControllerPolicies } from "../../modules/karpenter/controller-policies";
import { IAM_WRITE_PATTERNS } from "../../modules/identity/workload-boundary";
import { IDENTITY_ROLE_KINDS, workloadBoundaryName } from "../../modules/identity/identity-names";
import { PolicyJson } from "../helpers/iam-simulation";
import { ACCOUNT, PREFIX, REGION, evaluate, identityArn, roleArn, synthesizeIdentity } from "./identity-fixture";
import { isWrite, matchesPattern, serviceActions } from "./iam-data";

const identity = synthesizeIdentity();
const boundary = identity.boundary;
const WORKLOAD = roleArn(`${PREFIX}-eks-karpenter-controller`);

/** A workload role whose own policy allows `actions` on everything: what the boundary alone leaves it. */
const boundedMay = (action: string, resource: string, context: Record<string, string | string[]> = {}) =>
  evaluate(
    { principal: WORKLOAD, action, resource, resourceAccount: ACCOUNT, context },
    { identity: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: `${action.split(":")[0]}:*`, Resource: "*" }] }], boundary },
  );

describe("workload boundary", () => {
  it("is a managed policy named <prefix>-workload-boundary, within IAM's 6,144 characters", () => {
    expect(Object.values(identity.stack.resource.aws_iam_policy).map((policy) => (policy as { name: string }).name)).toEqual([workloadBoundaryName(PREFIX)]);
    expect(identity.boundaryDocument.replace(/\s/g, "").length).toBeLessThan(6144);
  });

  it.each([
    ["iam:CreateRole", roleArn(`${PREFIX}-escape`), {}],
    ["iam:AttachRolePolicy", WORKLOAD, { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" }],
    ["iam:PutRolePolicy", WORKLOAD, {}],
    ["iam:UpdateAssumeRolePolicy", WORKLOAD, {}],
    ["iam:DeleteRolePermissionsBoundary", WORKLOAD, {}],
    ["iam:PutRolePermissionsBoundary", WORKLOAD, {}],
    ["iam:CreatePolicyVersion", `arn:aws:iam::${ACCOUNT}:policy/${PREFIX}-eks-karpenter-node-lifecycle`, {}],
    ["iam:SetDefaultPolicyVersion", `arn:aws:iam::${ACCOUNT}:policy/${PREFIX}-eks-karpenter-node-lifecycle`, {}],
    ["iam:CreateUser", `arn:aws:iam::${ACCOUNT}:user/intruder`, {}],
    ["iam:CreateAccessKey", `arn:aws:iam::${ACCOUNT}:user/intruder`, {}],
    ["iam:CreateLoginProfile", `arn:aws:iam::${ACCOUNT}:user/intruder`, {}],
    ["iam:AddUserToGroup", `arn:aws:iam::${ACCOUNT}:group/admins`, {}],
    ["iam:CreateOpenIDConnectProvider", `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`, {}],
    ["iam:UpdateAccountPasswordPolicy", "*", {}],
    ["iam:PassRole", identityArn("platformAdmin"), {}],
    ["sts:AssumeRole", identityArn("deploy"), {}],
    ["organizations:LeaveOrganization", "*", {}],
    ["account:PutAlternateContact", `arn:aws:account::${ACCOUNT}:account`, {}],
  ] as const)("denies %s on %s", async (action, resource, context) => {
    expect(await boundedMay(action, resource, context)).toBe("ExplicitlyDenied");
  });

  it.each(IDENTITY_ROLE_KINDS)("denies passing and assuming the %s role", async (kind) => {
    expect(await boundedMay("iam:PassRole", identityArn(kind))).toBe("ExplicitlyDenied");
    expect(await boundedMay("sts:AssumeRole", identityArn(kind))).toBe("ExplicitlyDenied");
  });

  it.each([
    ["iam:PassRole", roleArn(`${PREFIX}-eks-karpenter-node`), { "iam:PassedToService": "ec2.amazonaws.com" }],
    ["iam:GetRole", WORKLOAD, {}],
    ["iam:ListInstanceProfiles", "*", {}],
    ["iam:CreateServiceLinkedRole", `arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`, {}],
    ["sts:AssumeRole", roleArn(`${PREFIX}-analytics-copy`), {}],
    ["s3:GetObject", `arn:aws:s3:::${PREFIX}-uploads-${ACCOUNT}/uploads/tenant-a/x`, {}],
    ["ec2:RunInstances", `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/*`, {}],
  ] as const)("leaves %s on %s to the role's own policy", async (action, resource, context) => {
    expect(await boundedMay(action, resource, context)).toBe("Allowed");
  });

  it("leaves Karpenter's controller its instance-profile actions (modules/karpenter/controller-policies.ts)", async () => {
    const policies = karpenterControllerPolicies({
      clusterName: `${PREFIX}-eks`,
      region: REGION,
      accountId: ACCOUNT,
      nodeRoleArn: roleArn(`${PREFIX}-eks-karpenter-node`),
      queueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${PREFIX}-karpenter`,
      queueKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/0000abcd-12ab-34cd-56ef-000000000000`,
    });
    const iamActions = Object.values(policies)
      .flatMap((managed) => managed.statements)
      .flatMap((statement) => [statement.Action ?? []].flat())
      .filter((action) => action.startsWith("iam:") && action !== "iam:PassRole");
    expect(iamActions).toEqual(
      expect.arrayContaining(["iam:CreateInstanceProfile", "iam:TagInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"]),
    );
    // Karpenter names its instance profiles <cluster>_<hash>.
    const profile = `arn:aws:iam::${ACCOUNT}:instance-profile/${PREFIX}-eks_12345678901234567890`;
    for (const action of iamActions) {
      const resource = action.startsWith("iam:List") ? "*" : profile;
      expect([action, await boundedMay(action, resource)]).toEqual([action, "Allowed"]);
    }
  });

  it("denies every IAM write the service authorization reference lists, by verb, except passing a role", () => {
    const writes = serviceActions("iam").filter(isWrite);
    const uncovered = writes.filter(({ action }) => !IAM_WRITE_PATTERNS.some((pattern) => matchesPattern(pattern, action))).map(({ action }) => action);
    expect(uncovered).toEqual(["iam:PassRole"]);
    for (const pattern of IAM_WRITE_PATTERNS) {
      // A verb pattern never matches a read (Get*, List*, Simulate*, Generate*).
      expect([pattern, serviceActions("iam").filter((info) => !isWrite(info) && matchesPattern(pattern, info.action)).map(({ action }) => action)]).toEqual([pattern, []]);
    }
  });

  it("denies every IAM write on roles, users, groups, policies and providers (simulator sweep on each write's own resource type)", async () => {
    const sample: Record<string, string> = {
      role: roleArn(`${PREFIX}-eks-api`),
      user: `arn:aws:iam::${ACCOUNT}:user/intruder`,
      group: `arn:aws:iam::${ACCOUNT}:group/admins`,
      policy: `arn:aws:iam::${ACCOUNT}:policy/${PREFIX}-eks-load-balancer-controller`,
      "oidc-provider": `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
      "saml-provider": `arn:aws:iam::${ACCOUNT}:saml-provider/corporate`,
      mfa: `arn:aws:iam::${ACCOUNT}:mfa/intruder`,
      "server-certificate": `arn:aws:iam::${ACCOUNT}:server-certificate/site`,
      "delegation-request": `arn:aws:iam::${ACCOUNT}:delegation-request/a1b2c3`,
    };
    const notDenied: string[] = [];
    const skipped: string[] = [];
    for (const info of serviceActions("iam").filter(isWrite)) {
      if (info.action === "iam:PassRole") continue;
      const type = info.resourceTypes.find((candidate) => candidate.name in sample)?.name;
      if (info.resourceTypes.length > 0 && type === undefined) {
        skipped.push(info.action);
        continue;
      }
      const resource = type ? sample[type] : "*";
      if ((await boundedMay(info.action, resource)) !== "ExplicitlyDenied") notDenied.push(`${info.action} on ${resource}`);
    }
    expect(notDenied).toEqual([]);
    // Only the instance-profile actions are left to the role's policy (Karpenter's, above).
    expect(skipped.every((action) => /InstanceProfile$/.test(action))).toBe(true);
  });

  it("applies to the roles the stacks create, not to the identity roles", () => {
    for (const kind of IDENTITY_ROLE_KINDS) expect(identity.roles[kind]!.resource.permissions_boundary).toBeUndefined();
    const statements = (boundary as PolicyJson).Statement;
    expect(statements[0]).toEqual({ Sid: "AllowWhatTheRolePolicyAllows", Effect: "Allow", Action: "*", Resource: "*" });
    expect(statements.slice(1).every((statement) => statement.Effect === "Deny")).toBe(true);
  });
});
