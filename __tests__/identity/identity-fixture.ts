import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { Aspects, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { GuardrailsAspect } from "../../modules/guardrails/guardrails-aspect";
import { listSuppressions } from "../../modules/guardrails/suppressions";
import { EnvironmentIdentity, EnvironmentIdentityProps } from "../../modules/identity/environment-identity";
import { IDENTITY_ROLE_KINDS, IdentityRoleKind, identityRoleName, workloadBoundaryName } from "../../modules/identity/identity-names";
import { lockTableName, stateKeyAliasArn } from "../../modules/state/state-backend";
import { PolicyJson, SimulatedRequest, withValues } from "../helpers/iam-simulation";
import { StackJson, resourcesOf, synthApp } from "../helpers/synth";

/** The environment of the identity tests: dev's shape, with Atlantis in a tooling account. */
export const ACCOUNT = "111122223333";
export const TOOLING_ACCOUNT = "999900001111";
export const REGION = "sa-east-1";
export const PREFIX = "proteomics-dev";
export const PLANNER = `arn:aws:iam::${TOOLING_ACCOUNT}:role/proteomics-tooling-atlantis-planner`;
export const APPLIER = `arn:aws:iam::${TOOLING_ACCOUNT}:role/proteomics-tooling-atlantis-applier`;
export const STATE_BUCKET = `${PREFIX}-tfstate-${ACCOUNT}`;
export const LOCK_TABLE = lockTableName(PREFIX);
/** The state key's alias ARN, as the backend names it, and the key it points to. */
export const STATE_KEY_ALIAS_ARN = stateKeyAliasArn({ namePrefix: PREFIX, region: REGION, accountId: ACCOUNT });
export const STATE_KEY_ALIAS = `alias/${PREFIX}-terraform-state`;
export const STATE_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const OTHER_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0000abcd-12ab-34cd-56ef-000000000000`;

export const PROPS: EnvironmentIdentityProps = {
  namePrefix: PREFIX,
  accountId: ACCOUNT,
  region: REGION,
  state: { bucketName: STATE_BUCKET, keyArn: STATE_KEY_ALIAS_ARN, lockTableName: LOCK_TABLE },
  automation: { toolingAccountId: TOOLING_ACCOUNT, plannerRoleArn: PLANNER, applierRoleArn: APPLIER },
};

/** ARN of a role of the environment account. */
export const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
/** ARN of an identity role. */
export const identityArn = (kind: IdentityRoleKind) => roleArn(identityRoleName(PREFIX, kind));

/** One synthesized identity role: its trust, inline policy and attached managed policies. */
export interface SynthesizedRole {
  readonly resource: StackJson;
  readonly trust: PolicyJson;
  readonly inline?: PolicyJson;
  /** The inline policy document as synthesized (for sizes). */
  readonly inlineDocument?: string;
  readonly managedPolicyArns: string[];
}

export interface SynthesizedIdentity {
  readonly stack: StackJson;
  readonly roles: Partial<Record<IdentityRoleKind, SynthesizedRole>>;
  readonly boundary: PolicyJson;
  readonly boundaryDocument: string;
  /** The guardrail suppressions of the construct tree. */
  readonly suppressions: ReturnType<typeof listSuppressions>;
}

/**
 * Synthesizes an `EnvironmentIdentity` alone in a stack the way the app does (AWS provider, guardrails, app.synth), and
 * returns its roles and boundary with the Terraform references of `values` resolved.
 */
export function synthesizeIdentity(
  props: EnvironmentIdentityProps = PROPS,
  options: { readonly values?: Readonly<Record<string, string>>; readonly before?: (stack: Construct) => EnvironmentIdentityProps } = {},
): SynthesizedIdentity {
  const app = Testing.app({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "identity-")) });
  const stack = new TerraformStack(app, "identity");
  new AwsProvider(stack, "aws", {
    region: REGION,
    allowedAccountIds: [ACCOUNT],
    defaultTags: [
      { tags: { Project: "proteomics", Environment: "dev", ManagedBy: "cdktf", Owner: "platform", CostCenter: "RD", DataClassification: "confidential" } },
    ],
  });
  Aspects.of(stack).add(new GuardrailsAspect());
  new EnvironmentIdentity(stack, "identity", options.before ? options.before(stack) : props);
  const json = synthApp(app).identity;
  const values = options.values ?? {};
  const roles: Partial<Record<IdentityRoleKind, SynthesizedRole>> = {};
  for (const kind of IDENTITY_ROLE_KINDS) {
    const entry = Object.entries(resourcesOf(json, "aws_iam_role")).find(([, role]) => role.name === identityRoleName(PREFIX, kind));
    if (!entry) continue;
    const [id, resource] = entry;
    const ofRole = (type: string) => Object.values(resourcesOf(json, type)).filter((policy) => policy.role === `\${aws_iam_role.${id}.name}`);
    const [inline] = ofRole("aws_iam_role_policy");
    roles[kind] = {
      resource,
      trust: withValues(resource.assume_role_policy, values),
      inline: inline ? withValues(inline.policy, values) : undefined,
      inlineDocument: inline?.policy,
      managedPolicyArns: ofRole("aws_iam_role_policy_attachment").map((attachment) => attachment.policy_arn),
    };
  }
  const boundary = Object.values(resourcesOf(json, "aws_iam_policy")).find((policy) => policy.name === workloadBoundaryName(PREFIX));
  if (!boundary) throw new Error("no workload boundary in the synthesized stack");
  return { stack: json, roles, boundary: withValues(boundary.policy, values), boundaryDocument: boundary.policy, suppressions: listSuppressions(app) };
}

/** The policies of one simulated request. */
export interface Policies {
  readonly identity?: readonly PolicyJson[];
  readonly resource?: PolicyJson;
  readonly boundary?: PolicyJson;
}

/**
 * AWS's decision on `request`, evaluated by @cloud-copilot/iam-simulate as `decision` of helpers/iam-simulation.ts
 * does (fails on an invalid request or an ignored context key), with a permissions boundary when given. A request on
 * `*` for an action with resource types is evaluated for every resource the policies name (wildcard simulation):
 * Allowed when any is.
 */
export async function evaluate(request: SimulatedRequest, policies: Policies): Promise<string> {
  const result = await runSimulation(
    {
      identityPolicies: (policies.identity ?? []).map((policy, index) => ({ name: `identity-${index}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policies.resource,
      permissionBoundaryPolicies: policies.boundary ? [{ name: "boundary", policy: policies.boundary }] : undefined,
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount },
        contextVariables: { "aws:SecureTransport": "true", ...request.context },
      },
    },
    {},
  );
  if (result.resultType === "error") throw new Error(`invalid simulation of ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
  const ignored = result.resultType === "single" ? (result.result.ignoredContextKeys ?? []) : result.results.flatMap((each) => each.ignoredContextKeys ?? []);
  if (ignored.length > 0) throw new Error(`the simulator ignored context keys ${ignored.join(", ")} of ${request.action}: this request cannot be simulated`);
  return result.overallResult;
}
