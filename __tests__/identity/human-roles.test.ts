import { ADMINISTRATOR_ACCESS, MFA_MAX_AGE_SECONDS, VIEW_ONLY_ACCESS } from "../../modules/identity/human-trust";
import { HUMAN_ROLE_KINDS, IdentityRoleKind } from "../../modules/identity/identity-names";
import { PolicyJson } from "../helpers/iam-simulation";
import { ACCOUNT, PROPS, evaluate, identityArn, synthesizeIdentity } from "./identity-fixture";

const identity = synthesizeIdentity({
  ...PROPS,
  humanSessionSeconds: 14400,
  identityCenterPermissionSets: { platformAdmin: ["PlatformAdmin"], developer: ["Developer", "DataEngineer"] },
});
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const ssoRole = (permissionSet: string) => `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/sa-east-1/AWSReservedSSO_${permissionSet}_0123456789abcdef`;
const ALLOW_ASSUME: PolicyJson = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] };

/** Whether `principal` (with `context`) may assume the human role `kind`. */
const assume = (kind: IdentityRoleKind, principal: string, context: Record<string, string> = {}) =>
  evaluate(
    { principal, action: "sts:AssumeRole", resource: identityArn(kind), resourceAccount: principal.split(":")[4], context: { "aws:PrincipalArn": principal, ...context } },
    { identity: [ALLOW_ASSUME], resource: identity.roles[kind]!.trust },
  );
const withMfa = (ageSeconds: number) => ({ "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": String(ageSeconds) });

describe.each(HUMAN_ROLE_KINDS)("%s role: trust", (kind) => {
  it("admits the account's people signed in with MFA in the last hour", async () => {
    expect(await assume(kind, ALICE, withMfa(300))).toBe("Allowed");
  });

  it("refuses them without MFA, with MFA older than an hour, and anybody of another account", async () => {
    expect(await assume(kind, ALICE)).not.toBe("Allowed");
    expect(await assume(kind, ALICE, { "aws:MultiFactorAuthPresent": "false" })).not.toBe("Allowed");
    expect(await assume(kind, ALICE, withMfa(MFA_MAX_AGE_SECONDS + 1))).not.toBe("Allowed");
    expect(await assume(kind, "arn:aws:iam::444455556666:user/alice", withMfa(300))).not.toBe("Allowed");
  });

  it("names no principal but the account's root", () => {
    for (const statement of identity.roles[kind]!.trust.Statement) expect(statement.Principal).toEqual({ AWS: `arn:aws:iam::${ACCOUNT}:root` });
  });
});

describe("human roles: IAM Identity Center", () => {
  it("admits the roles of the listed permission sets without the MFA keys (Identity Center enforces MFA at sign-in)", async () => {
    expect(await assume("platformAdmin", ssoRole("PlatformAdmin"))).toBe("Allowed");
    expect(await assume("developer", ssoRole("Developer"))).toBe("Allowed");
    expect(await assume("developer", ssoRole("DataEngineer"))).toBe("Allowed");
    expect(await assume("developer", `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Developer_0123456789abcdef`)).toBe("Allowed");
  });

  it("refuses another permission set, and never opens break-glass to Identity Center (it is for when Identity Center is down)", async () => {
    expect(await assume("platformAdmin", ssoRole("Developer"))).not.toBe("Allowed");
    expect(await assume("platformAdmin", ssoRole("PlatformAdminReadOnly"))).not.toBe("Allowed");
    expect(await assume("breakGlass", ssoRole("PlatformAdmin"))).not.toBe("Allowed");
    expect(identity.roles.breakGlass!.trust.Statement).toHaveLength(1);
  });
});

describe("human roles: permissions", () => {
  it("platform-admin and break-glass are administrators; the developer only views, and may assume the plan role", () => {
    expect(identity.roles.platformAdmin!.managedPolicyArns).toEqual([ADMINISTRATOR_ACCESS]);
    expect(identity.roles.breakGlass!.managedPolicyArns).toEqual([ADMINISTRATOR_ACCESS]);
    expect(identity.roles.developer!.managedPolicyArns).toEqual([VIEW_ONLY_ACCESS]);
    expect(identity.roles.platformAdmin!.inline).toBeUndefined();
    expect(identity.roles.breakGlass!.inline).toBeUndefined();
    expect(identity.roles.developer!.inline!.Statement).toEqual([{ Sid: "PlanLocally", Effect: "Allow", Action: "sts:AssumeRole", Resource: identityArn("plan") }]);
  });

  it("lets a developer plan locally: its own policy and the plan role's trust both admit it, and nothing else", async () => {
    const developer = identityArn("developer");
    const asDeveloper = (kind: IdentityRoleKind) =>
      evaluate(
        { principal: developer, action: "sts:AssumeRole", resource: identityArn(kind), resourceAccount: ACCOUNT, context: { "aws:PrincipalArn": developer } },
        { identity: [identity.roles.developer!.inline!], resource: identity.roles[kind]!.trust },
      );
    expect(await asDeveloper("plan")).toBe("Allowed");
    expect(await asDeveloper("deploy")).not.toBe("Allowed");
    expect(await asDeveloper("platformAdmin")).not.toBe("Allowed");
  });

  it("gives a developer nothing to assume without the automation roles (the tooling account)", () => {
    expect(synthesizeIdentity({ ...PROPS, automation: undefined }).roles.developer!.inline).toBeUndefined();
  });

  it("break-glass is sealed and alarmed, with one-hour sessions; the others last what the environment says", () => {
    const breakGlass = identity.roles.breakGlass!.resource;
    expect(breakGlass.max_session_duration).toBe(3600);
    expect(breakGlass.description).toMatch(/SEALED/);
    expect(breakGlass.description).toMatch(/alarm/);
    expect(identity.roles.platformAdmin!.resource.max_session_duration).toBe(14400);
    expect(identity.roles.developer!.resource.max_session_duration).toBe(14400);
  });

  it("defaults human sessions to one hour", () => {
    const defaults = synthesizeIdentity();
    for (const kind of HUMAN_ROLE_KINDS) expect(defaults.roles[kind]!.resource.max_session_duration).toBe(3600);
  });
});
