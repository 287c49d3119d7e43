import { runSimulation } from "@cloud-copilot/iam-simulate";
import { StackJson, resourcesOf } from "./synth";

/** An IAM policy document as written in a synthesized stack (after `withValues`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PolicyJson = { Version?: string; Statement: any[] };

/** One request to evaluate: who, what, on which resource, with which request context. */
export interface SimulatedRequest {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Account that owns the resource. */
  readonly resourceAccount: string;
  /** Condition keys of the request (`aws:SecureTransport`, `s3:x-amz-server-side-encryption`, ...). */
  readonly context?: Readonly<Record<string, string | string[]>>;
}

/** The policies that apply to a request. */
export interface SimulatedPolicies {
  /** The principal's identity policies. @default none */
  readonly identity?: readonly PolicyJson[];
  /** The resource's policy (bucket, key, queue, trust policy). @default none */
  readonly resource?: PolicyJson;
  /** The policy of the VPC endpoint the request goes through. @default none (not through an endpoint) */
  readonly vpcEndpoint?: PolicyJson;
}

/**
 * AWS's decision on `request` under `policies`, evaluated by @cloud-copilot/iam-simulate (the IAM evaluation logic:
 * explicit deny, then allows across identity and resource policies, every condition operator). Fails on a request
 * the simulator finds invalid (an unknown action or condition key) or whose context it would drop before evaluating
 * (it does not know `kms:EncryptionContext:*` keys), so a test cannot pass on a typo or an ignored condition.
 */
export async function decision(request: SimulatedRequest, policies: SimulatedPolicies): Promise<string> {
  const result = await runSimulation(
    {
      identityPolicies: (policies.identity ?? []).map((policy, index) => ({ name: `identity-${index}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policies.resource,
      vpcEndpointPolicies: policies.vpcEndpoint ? [{ name: "vpc-endpoint", policy: policies.vpcEndpoint }] : [],
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount },
        contextVariables: { "aws:SecureTransport": "true", ...request.context },
      },
    },
    {},
  );
  if (result.resultType === "error") throw new Error(`invalid simulation: ${JSON.stringify(result.errors)}`);
  const ignored = result.resultType === "single" ? (result.result.ignoredContextKeys ?? []) : result.results.flatMap((each) => each.ignoredContextKeys ?? []);
  if (ignored.length > 0) throw new Error(`the simulator ignored context keys ${ignored.join(", ")}: this request cannot be simulated`);
  return result.overallResult;
}

/**
 * A synthesized policy (JSON text) with its Terraform expressions replaced by concrete values, so it can be evaluated:
 * `values` maps a resource address prefix (`aws_kms_key.state-key_1234`) or a whole expression to what AWS would put
 * there. An expression without a value fails the test, naming it; escaped IAM policy variables (`$${aws:...}`) become
 * the variables IAM evaluates.
 */
export function withValues(policy: string, values: Readonly<Record<string, string>>): PolicyJson {
  const resolved = policy.replace(/(\$?)\$\{([^}]+)\}/g, (expression, escaped: string, inner: string) => {
    // `$${aws:PrincipalTag/tenant}` is Terraform's escape of an IAM policy variable: IAM receives `${...}`.
    if (escaped) return `\${${inner}}`;
    const match = Object.entries(values).find(([key]) => inner === key || inner.startsWith(`${key}.`));
    if (!match) throw new Error(`no value for ${expression} in the policy`);
    return match[1];
  });
  return JSON.parse(resolved);
}

/** Concrete values for every Terraform expression the environment's policies hold: ARNs of buckets, keys and roles (real shapes), of anything else (stand-ins). */
export function expressionValues(stacks: Record<string, StackJson>, accountId: string, region: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const stack of Object.values(stacks)) {
    // Any other resource (a queue, a topic): a distinct stand-in ARN, which no bucket or key pattern matches.
    for (const [type, resources] of Object.entries(stack.resource ?? {})) {
      for (const id of Object.keys(resources as object)) values[`${type}.${id}`] = `arn:aws:${type}:${region}:${accountId}:${id}`;
    }
    for (const [id, bucket] of Object.entries(resourcesOf(stack, "aws_s3_bucket"))) values[`aws_s3_bucket.${id}`] = `arn:aws:s3:::${bucket.bucket}`;
    for (const id of Object.keys(resourcesOf(stack, "aws_kms_key"))) values[`aws_kms_key.${id}`] = `arn:aws:kms:${region}:${accountId}:key/${id}`;
    for (const [id, role] of Object.entries(resourcesOf(stack, "aws_iam_role"))) values[`aws_iam_role.${id}`] = `arn:aws:iam::${accountId}:role/${role.name}`;
    // Computed names in ARNs (the proxy's resource id): any stand-in, no request here names them.
    for (const local of Object.keys(stack.locals ?? {})) values[`local.${local}`] = local;
  }
  return values;
}
