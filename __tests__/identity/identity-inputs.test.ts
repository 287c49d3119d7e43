import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Aspects, TerraformStack, Testing } from "cdktf";
import {
  EnvironmentIdentity,
  EnvironmentIdentityProps,
  INLINE_ROLE_POLICY_MAX_CHARACTERS,
  TRUST_POLICY_MAX_CHARACTERS,
} from "../../modules/identity/environment-identity";
import { IDENTITY_ROLE_KINDS, identityRoleName } from "../../modules/identity/identity-names";
import { estimatedPolicySize, MANAGED_POLICY_MAX_CHARACTERS } from "../../modules/iam/managed-policy";
import { PolicyJson } from "../helpers/iam-simulation";
import { ACCOUNT, PREFIX, PROPS, REGION, STATE_BUCKET, evaluate, identityArn, synthesizeIdentity } from "./identity-fixture";
import { actionsMatching } from "./iam-data";

/** The error `new EnvironmentIdentity(...)` throws for `props`. */
function errorFor(props: EnvironmentIdentityProps): string {
  const stack = new TerraformStack(Testing.app(), "identity");
  try {
    new EnvironmentIdentity(stack, "identity", props);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be refused");
}

describe("EnvironmentIdentity: the tooling account (no automation)", () => {
  const stack = new TerraformStack(Testing.app(), "tooling-identity");
  const identity = new EnvironmentIdentity(stack, "identity", { ...PROPS, automation: undefined });

  it("has the human roles and the boundary, no plan or deploy role", () => {
    expect(identity.planRole).toBeUndefined();
    expect(identity.deployRole).toBeUndefined();
    const names = Object.values(JSON.parse(Testing.synth(stack)).resource.aws_iam_role).map((role) => (role as { name: string }).name);
    expect(names.sort()).toEqual([identityRoleName(PREFIX, "breakGlass"), identityRoleName(PREFIX, "developer"), identityRoleName(PREFIX, "platformAdmin")].sort());
    expect(identity.boundaryArn).toBe(`arn:aws:iam::${ACCOUNT}:policy/${PREFIX}-workload-boundary`);
  });
});

describe("EnvironmentIdentity: bad input", () => {
  it("refuses automation without a planner, naming the field", () => {
    const message = errorFor({ ...PROPS, automation: { ...PROPS.automation!, plannerRoleArn: undefined as unknown as string } });
    expect(message).toMatch(/^Invalid identity configuration at identity\/identity \(1 problem\):/);
    expect(message).toContain("automation.plannerRoleArn: must be an IAM role ARN");
  });

  it("refuses Atlantis roles of another account than the tooling account", () => {
    expect(errorFor({ ...PROPS, automation: { ...PROPS.automation!, applierRoleArn: `arn:aws:iam::${ACCOUNT}:role/atlantis-applier` } })).toContain(
      `automation.applierRoleArn: must be a role of the tooling account 999900001111 (got "arn:aws:iam::${ACCOUNT}:role/atlantis-applier")`,
    );
  });

  it("refuses one role for planning and applying, and the environment's own account as tooling account", () => {
    const sameRole = errorFor({ ...PROPS, automation: { ...PROPS.automation!, applierRoleArn: PROPS.automation!.plannerRoleArn } });
    expect(sameRole).toContain("automation.applierRoleArn: must differ from the planner's role");
    const sameAccount = errorFor({
      ...PROPS,
      automation: { toolingAccountId: ACCOUNT, plannerRoleArn: `arn:aws:iam::${ACCOUNT}:role/planner`, applierRoleArn: `arn:aws:iam::${ACCOUNT}:role/applier` },
    });
    expect(sameAccount).toContain("automation.toolingAccountId: must be another account than the environment's");
  });

  it("lists every problem at once", () => {
    const message = errorFor({
      ...PROPS,
      namePrefix: "Proteomics--Dev",
      accountId: "1234",
      humanSessionSeconds: 60,
      state: { ...PROPS.state, keyArn: `arn:aws:kms:us-east-1:444455556666:alias/${PREFIX}-terraform-state` },
    });
    expect(message).toMatch(/\(5 problems\)/);
    for (const field of ["namePrefix", "accountId", "humanSessionSeconds", "state.keyArn"]) expect(message).toContain(`  - ${field}: `);
    expect(message).toContain("state.keyArn: must be a key of the environment's region sa-east-1");
  });

  it("refuses a prefix too long for <prefix>-terraform-deploy to fit IAM's 64 characters", () => {
    expect(errorFor({ ...PROPS, namePrefix: `p${"x".repeat(47)}` })).toContain("namePrefix: must be at most 47 characters");
  });

  it("refuses an invalid Identity Center permission set name", () => {
    expect(errorFor({ ...PROPS, identityCenterPermissionSets: { developer: ["Dev*"] } })).toContain('permission set name "Dev*"');
  });

  it("refuses a trust policy over IAM's default size", () => {
    const many = Array.from({ length: 30 }, (_, index) => `PermissionSet${index}`);
    expect(errorFor({ ...PROPS, identityCenterPermissionSets: { platformAdmin: many } })).toMatch(/trust policy of proteomics-dev-platform-admin would be \d+ characters/);
  });
});

describe("EnvironmentIdentity: no boundary on the identity roles", () => {
  it("refuses the synth when an Aspect put the workload boundary on an identity role", () => {
    expect(() =>
      synthesizeIdentity(PROPS, {
        before: (stack) => {
          // What a boundary Aspect for the other stacks does to every role it visits.
          Aspects.of(stack).add({
            visit: (node) => {
              if (node instanceof IamRole) node.permissionsBoundary = `arn:aws:iam::${ACCOUNT}:policy/${PREFIX}-workload-boundary`;
            },
          });
          return PROPS;
        },
      }),
    ).toThrow(/identity\/identity\/terraform-deploy: an identity role must carry no permissions boundary/);
  });
});

describe("EnvironmentIdentity: IAM's limits and the service authorization reference", () => {
  const identity = synthesizeIdentity({ ...PROPS, identityCenterPermissionSets: { platformAdmin: ["PlatformAdmin"], developer: ["Developer", "DataEngineer"] } });

  it("keeps every inline policy within 10,240 characters, every trust within 2,048 and the boundary within 6,144", () => {
    for (const kind of IDENTITY_ROLE_KINDS) {
      const role = identity.roles[kind]!;
      if (role.inlineDocument) expect([kind, estimatedPolicySize(role.inlineDocument) <= INLINE_ROLE_POLICY_MAX_CHARACTERS]).toEqual([kind, true]);
      expect([kind, estimatedPolicySize(role.resource.assume_role_policy) <= TRUST_POLICY_MAX_CHARACTERS]).toEqual([kind, true]);
    }
    expect(estimatedPolicySize(identity.boundaryDocument)).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARACTERS);
  });

  it("names only real actions: every action or pattern of every identity policy matches the reference", () => {
    const documents: PolicyJson[] = [identity.boundary, ...IDENTITY_ROLE_KINDS.flatMap((kind) => [identity.roles[kind]!.inline, identity.roles[kind]!.trust]).filter((doc): doc is PolicyJson => !!doc)];
    const patterns = documents.flatMap((document) => document.Statement.flatMap((statement) => [statement.Action ?? [], statement.NotAction ?? []].flat() as string[]));
    const unknown = [...new Set(patterns)].filter((pattern) => pattern !== "*" && actionsMatching(pattern).length === 0);
    expect(unknown).toEqual([]);
    expect(patterns.length).toBeGreaterThan(100);
  });

  it("passes the guardrails (synthesized with the guardrails aspect) through these suppressions only", () => {
    expect(identity.suppressions.map(({ path, ruleId }) => `${path}: ${ruleId}`).sort()).toEqual([
      "identity/identity/terraform-deploy: iam-resource-wildcard",
      "identity/identity/terraform-plan: iam-resource-wildcard",
      "identity/identity/terraform-plan: s3-object-grants-prefixed",
      "identity/identity/workload-boundary: iam-no-action-wildcard",
      "identity/identity/workload-boundary: iam-resource-wildcard",
    ]);
  });
});

describe("EnvironmentIdentity: the state key by reference", () => {
  const keyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
  const identity = synthesizeIdentity(PROPS, {
    before: (stack) => {
      const key = new KmsKey(stack, "state-key", { description: "state", enableKeyRotation: true, lifecycle: { preventDestroy: true } });
      return { ...PROPS, state: { ...PROPS.state, keyArn: key.arn } };
    },
    values: { "aws_kms_key.state-key": `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}` },
  });
  const plan = identity.roles.plan!.inline!;
  const keyPolicy: PolicyJson = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }] };
  const decrypt = (key: string, context: Record<string, string> = {}) =>
    evaluate(
      { principal: identityArn("plan"), action: "kms:Decrypt", resource: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${key}`, resourceAccount: ACCOUNT, context },
      { identity: [plan], resource: keyPolicy },
    );

  it("names the key itself instead of its aliases", async () => {
    expect(await decrypt(keyId, { "kms:ViaService": `s3.${REGION}.amazonaws.com` })).toBe("Allowed");
    expect(await decrypt("0000abcd-12ab-34cd-56ef-000000000000", { "kms:ViaService": `s3.${REGION}.amazonaws.com` })).toBe("ExplicitlyDenied");
    expect(JSON.stringify(plan)).not.toContain("kms:ResourceAliases");
    expect(JSON.stringify(plan)).toContain(STATE_BUCKET);
  });
});
