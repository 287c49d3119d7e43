import {
  BOUNDED_ROLE_ACTIONS,
  DEPLOY_ATTACHABLE_AWS_MANAGED_POLICIES,
  policyArnsOutsideAllowList,
} from "../../modules/identity/deploy-permissions";
import { IDENTITY_ROLE_KINDS, workloadBoundaryArn } from "../../modules/identity/identity-names";
import { PolicyJson } from "../helpers/iam-simulation";
import {
  ACCOUNT,
  APPLIER,
  LOCK_TABLE,
  PLANNER,
  PREFIX,
  REGION,
  STATE_BUCKET,
  STATE_KEY_ALIAS,
  STATE_KEY_ARN,
  TOOLING_ACCOUNT,
  evaluate,
  identityArn,
  roleArn,
  synthesizeIdentity,
} from "./identity-fixture";
import { serviceActions, isWrite } from "./iam-data";

const identity = synthesizeIdentity();
const deploy = identity.roles.deploy!;
const policy = deploy.inline!;
const DEPLOY = identityArn("deploy");
const BOUNDARY = workloadBoundaryArn(ACCOUNT, PREFIX);
const OTHER_BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/${PREFIX}-permissive-boundary`;
const NEW_ROLE = roleArn(`${PREFIX}-new-workload`);
const policyArn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;

/** The default key policy: the account's IAM policies decide. */
const DEFAULT_KEY_POLICY: PolicyJson = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }],
};

/** The deploy role's decision on `action` on `resource` of the environment account. */
const deployMay = (action: string, resource: string, context: Record<string, string | string[]> = {}) =>
  evaluate(
    { principal: DEPLOY, action, resource, resourceAccount: ACCOUNT, context },
    { identity: [policy], resource: action.startsWith("kms:") ? DEFAULT_KEY_POLICY : undefined },
  );
const withBoundary = (boundary = BOUNDARY) => ({ "iam:PermissionsBoundary": boundary });

describe("deploy role: trust", () => {
  const assume = (principal: string) =>
    evaluate(
      { principal, action: "sts:AssumeRole", resource: DEPLOY, resourceAccount: ACCOUNT, context: { "aws:PrincipalArn": principal } },
      { identity: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] }], resource: deploy.trust },
    );

  it("admits Atlantis's applier only", async () => {
    expect(await assume(APPLIER)).toBe("Allowed");
    expect(await assume(PLANNER)).not.toBe("Allowed");
    expect(await assume(`arn:aws:iam::${TOOLING_ACCOUNT}:role/proteomics-tooling-atlantis-server`)).not.toBe("Allowed");
    expect(await assume(identityArn("platformAdmin"))).not.toBe("Allowed");
    expect(await assume(identityArn("plan"))).not.toBe("Allowed");
    expect(await assume(roleArn(`${PREFIX}-eks-api`))).not.toBe("Allowed");
    expect(await assume(`arn:aws:iam::444455556666:role/proteomics-tooling-atlantis-applier`)).not.toBe("Allowed");
  });

  it("names the applier by aws:PrincipalArn under the tooling root, with sessions of one hour", () => {
    expect(deploy.trust.Statement).toEqual([
      {
        Sid: "AtlantisApplier",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${TOOLING_ACCOUNT}:root` },
        Action: "sts:AssumeRole",
        Condition: { ArnEquals: { "aws:PrincipalArn": APPLIER } },
      },
    ]);
    expect(deploy.resource.max_session_duration).toBe(3600);
    expect(deploy.resource.permissions_boundary).toBeUndefined();
    expect(deploy.managedPolicyArns).toEqual([]);
  });
});

describe("deploy role: roles only with the workload boundary", () => {
  it("creates a <prefix>-* role with the boundary, never without it, with another boundary or under another name", async () => {
    expect(await deployMay("iam:CreateRole", NEW_ROLE, withBoundary())).toBe("Allowed");
    expect(await deployMay("iam:CreateRole", NEW_ROLE)).toBe("ImplicitlyDenied");
    expect(await deployMay("iam:CreateRole", NEW_ROLE, withBoundary(OTHER_BOUNDARY))).toBe("ImplicitlyDenied");
    expect(await deployMay("iam:CreateRole", NEW_ROLE, withBoundary("arn:aws:iam::aws:policy/AdministratorAccess"))).toBe("ImplicitlyDenied");
    expect(await deployMay("iam:CreateRole", roleArn("another-app-role"), withBoundary())).toBe("ImplicitlyDenied");
    expect(await deployMay("iam:CreateRole", roleArn("proteomics-prod-new-workload"), withBoundary())).toBe("ImplicitlyDenied");
  });

  it("changes, sets or deletes only roles that carry the boundary", async () => {
    for (const action of BOUNDED_ROLE_ACTIONS.filter((name) => name !== "iam:CreateRole")) {
      expect([action, await deployMay(action, NEW_ROLE, withBoundary())]).toEqual([action, "Allowed"]);
      expect([action, await deployMay(action, NEW_ROLE, withBoundary(OTHER_BOUNDARY))]).toEqual([action, "ImplicitlyDenied"]);
      expect([action, await deployMay(action, NEW_ROLE)]).toEqual([action, "ImplicitlyDenied"]);
    }
  });

  it("conditions every role write that carries iam:PermissionsBoundary in the service authorization reference", () => {
    const keyed = serviceActions("iam")
      .filter(isWrite)
      .filter((info) => info.conditionKeys.includes("iam:PermissionsBoundary") && info.resourceTypes.some((type) => type.name === "role"))
      .map(({ action }) => action);
    // AttachRolePolicy has its own statement (boundary and policy allow-list); DeleteRolePermissionsBoundary is denied.
    expect(keyed.sort()).toEqual([...BOUNDED_ROLE_ACTIONS, "iam:AttachRolePolicy", "iam:DeleteRolePermissionsBoundary"].sort());
  });

  it("never removes a boundary", async () => {
    expect(await deployMay("iam:DeleteRolePermissionsBoundary", NEW_ROLE, withBoundary())).toBe("ExplicitlyDenied");
  });

  it("attaches the allow-listed AWS managed policies and the environment's own, nothing else", async () => {
    const attach = (policyArnValue: string) => deployMay("iam:AttachRolePolicy", NEW_ROLE, { ...withBoundary(), "iam:PolicyARN": policyArnValue });
    for (const managed of DEPLOY_ATTACHABLE_AWS_MANAGED_POLICIES) expect([managed, await attach(managed)]).toEqual([managed, "Allowed"]);
    expect(await attach(policyArn(`${PREFIX}-eks-karpenter-node-lifecycle`))).toBe("Allowed");
    expect(await attach("arn:aws:iam::aws:policy/AdministratorAccess")).toBe("ImplicitlyDenied");
    expect(await attach("arn:aws:iam::aws:policy/PowerUserAccess")).toBe("ImplicitlyDenied");
    expect(await attach("arn:aws:iam::aws:policy/IAMFullAccess")).toBe("ImplicitlyDenied");
    expect(await attach(policyArn("proteomics-prod-anything"))).toBe("ImplicitlyDenied");
    expect(await attach(`arn:aws:iam::444455556666:policy/${PREFIX}-foreign`)).toBe("ImplicitlyDenied");
    // The boundary allows "*": as a permissions policy it would make a role an administrator (but IAM).
    expect(await attach(BOUNDARY)).toBe("ExplicitlyDenied");
    // Not to a role without the boundary.
    expect(await deployMay("iam:AttachRolePolicy", NEW_ROLE, { "iam:PolicyARN": DEPLOY_ATTACHABLE_AWS_MANAGED_POLICIES[0] })).toBe("ImplicitlyDenied");
  });

  it("passes, tags and profiles the environment's roles; manages its policies, instance profiles and service-linked roles", async () => {
    expect(await deployMay("iam:PassRole", roleArn(`${PREFIX}-eks-cluster`))).toBe("Allowed");
    expect(await deployMay("iam:PassRole", roleArn("another-app-role"))).toBe("ImplicitlyDenied");
    expect(await deployMay("iam:TagRole", NEW_ROLE)).toBe("Allowed");
    for (const action of ["iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:DeletePolicy", "iam:TagPolicy"]) {
      expect([action, await deployMay(action, policyArn(`${PREFIX}-eks-load-balancer-controller`))]).toEqual([action, "Allowed"]);
      expect([action, await deployMay(action, policyArn("proteomics-prod-eks-load-balancer-controller"))]).toEqual([action, "ImplicitlyDenied"]);
    }
    const profile = `arn:aws:iam::${ACCOUNT}:instance-profile/${PREFIX}-batch-instance`;
    for (const action of ["iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"]) {
      expect([action, await deployMay(action, profile)]).toEqual([action, "Allowed"]);
    }
    expect(await deployMay("iam:CreateServiceLinkedRole", `arn:aws:iam::${ACCOUNT}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS`)).toBe("Allowed");
    expect(await deployMay("iam:GetRole", identityArn("platformAdmin"))).toBe("Allowed");
  });

  it("allows exactly these IAM writes (sweep of every IAM write action, with the boundary and an allow-listed policy in the request)", async () => {
    const allowed: string[] = [];
    for (const info of serviceActions("iam").filter(isWrite)) {
      const context: Record<string, string> = {};
      if (info.conditionKeys.includes("iam:PermissionsBoundary")) context["iam:PermissionsBoundary"] = BOUNDARY;
      if (info.conditionKeys.includes("iam:PolicyARN")) context["iam:PolicyARN"] = DEPLOY_ATTACHABLE_AWS_MANAGED_POLICIES[0];
      if ((await deployMay(info.action, "*", context)) === "Allowed") allowed.push(info.action);
    }
    expect(allowed.sort()).toEqual(
      [
        ...BOUNDED_ROLE_ACTIONS,
        "iam:AttachRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:PassRole",
        "iam:CreatePolicy",
        "iam:CreatePolicyVersion",
        "iam:DeletePolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "iam:DeletePolicy",
        "iam:TagPolicy",
        "iam:UntagPolicy",
        "iam:CreateInstanceProfile",
        "iam:DeleteInstanceProfile",
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:TagInstanceProfile",
        "iam:UntagInstanceProfile",
        "iam:CreateServiceLinkedRole",
      ].sort(),
    );
  });
});

describe("deploy role: never the identity layer", () => {
  const roleWrites = [
    "iam:UpdateAssumeRolePolicy",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
    "iam:UpdateRole",
    "iam:DeleteRole",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:PassRole",
    "sts:AssumeRole",
  ];

  it.each(IDENTITY_ROLE_KINDS)("cannot change, pass or assume the %s role, even with the boundary in the request", async (kind) => {
    for (const action of roleWrites) {
      const context: Record<string, string> =
        action === "iam:AttachRolePolicy"
          ? { ...withBoundary(), "iam:PolicyARN": DEPLOY_ATTACHABLE_AWS_MANAGED_POLICIES[0] }
          : action.startsWith("iam:") && !["iam:TagRole", "iam:UntagRole", "iam:PassRole"].includes(action)
            ? withBoundary()
            : {};
      expect([action, await deployMay(action, identityArn(kind), context)]).toEqual([action, "ExplicitlyDenied"]);
    }
  });

  it("cannot change, version, tag or delete the boundary policy", async () => {
    for (const action of ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicyVersion", "iam:DeletePolicy", "iam:TagPolicy", "iam:UntagPolicy"]) {
      expect([action, await deployMay(action, BOUNDARY)]).toEqual([action, "ExplicitlyDenied"]);
    }
    expect(await deployMay("iam:GetPolicyVersion", BOUNDARY)).toBe("Allowed");
  });

  it("assumes no role (no chaining) and touches neither Organizations nor the account's settings", async () => {
    expect(await deployMay("sts:AssumeRole", roleArn(`${PREFIX}-eks-api`))).toBe("ExplicitlyDenied");
    expect(await deployMay("organizations:LeaveOrganization", "*")).toBe("ImplicitlyDenied");
    expect(await deployMay("account:PutAlternateContact", "*")).toBe("ImplicitlyDenied");
    expect(await deployMay("iam:CreateUser", `arn:aws:iam::${ACCOUNT}:user/${PREFIX}-someone`)).toBe("ImplicitlyDenied");
    expect(await deployMay("iam:CreateAccessKey", `arn:aws:iam::${ACCOUNT}:user/${PREFIX}-someone`)).toBe("ImplicitlyDenied");
  });

  it("deploys everything else", async () => {
    expect(await deployMay("ec2:RunInstances", `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/*`)).toBe("Allowed");
    expect(await deployMay("eks:CreateCluster", "*")).toBe("Allowed");
    expect(await deployMay("s3:PutBucketPolicy", `arn:aws:s3:::${PREFIX}-uploads-${ACCOUNT}`)).toBe("Allowed");
    expect(await deployMay("kms:ScheduleKeyDeletion", `arn:aws:kms:${REGION}:${ACCOUNT}:key/0000abcd-12ab-34cd-56ef-000000000000`, { "kms:ResourceAliases": [`alias/${PREFIX}-data`] })).toBe(
      "Allowed",
    );
  });
});

describe("deploy role: uses the state layer, never reconfigures it", () => {
  const bucket = `arn:aws:s3:::${STATE_BUCKET}`;
  const state = `${bucket}/${PREFIX}-network/terraform.tfstate`;
  const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${LOCK_TABLE}`;
  const stateKey = { "kms:ResourceAliases": [STATE_KEY_ALIAS] };

  it("reads and writes state and locks", async () => {
    expect(await deployMay("s3:GetObject", state)).toBe("Allowed");
    expect(await deployMay("s3:PutObject", state)).toBe("Allowed");
    expect(await deployMay("s3:DeleteObject", `${state}.tflock`)).toBe("Allowed");
    expect(await deployMay("dynamodb:PutItem", table)).toBe("Allowed");
    expect(await deployMay("kms:Decrypt", STATE_KEY_ARN, stateKey)).toBe("Allowed");
    expect(await deployMay("kms:GenerateDataKey", STATE_KEY_ARN, stateKey)).toBe("Allowed");
  });

  it.each([
    ["s3:PutBucketPolicy", bucket, {}],
    ["s3:DeleteBucket", bucket, {}],
    ["s3:PutBucketVersioning", bucket, {}],
    ["s3:PutLifecycleConfiguration", bucket, {}],
    ["s3:DeleteObjectVersion", state, {}],
    ["s3:DeleteObject", state, {}],
    ["dynamodb:DeleteTable", table, {}],
    ["dynamodb:UpdateTable", table, {}],
    ["kms:ScheduleKeyDeletion", STATE_KEY_ARN, stateKey],
    ["kms:PutKeyPolicy", STATE_KEY_ARN, stateKey],
    ["kms:DisableKey", STATE_KEY_ARN, stateKey],
  ] as const)("refuses %s on %s", async (action, resource, context) => {
    expect(await deployMay(action, resource, context)).toBe("ExplicitlyDenied");
  });
});

describe("policyArnsOutsideAllowList", () => {
  it("accepts the allow-list and the environment's own policies, refuses anything else", () => {
    const own = policyArn(`${PREFIX}-eks-karpenter-iam-integration`);
    expect(policyArnsOutsideAllowList([...DEPLOY_ATTACHABLE_AWS_MANAGED_POLICIES, own], ACCOUNT, PREFIX)).toEqual([]);
    const refused = [
      "arn:aws:iam::aws:policy/AdministratorAccess",
      "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
      policyArn("proteomics-prod-eks-karpenter-iam-integration"),
      `arn:aws:iam::444455556666:policy/${PREFIX}-eks-karpenter-iam-integration`,
      BOUNDARY,
      "${aws_iam_policy.unresolved.arn}",
    ];
    expect(policyArnsOutsideAllowList([own, ...refused], ACCOUNT, PREFIX)).toEqual(refused);
  });
});
