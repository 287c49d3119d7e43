import { unscopedWildcardActions } from "../../iam/scoping-conditions";
import { SOURCE_CONDITION_KEY_NAMES, UNCONFINED_SERVICE_PRINCIPALS, confinesSource } from "../../iam/service-principals";
import { GuardrailRule } from "../rule";
import { SynthesizedResource, SynthesizedStack, asList, parsePolicy } from "../synthesized-stack";

/** Resources that hold identity policies (what a principal may do), by policy attribute. */
const IDENTITY_POLICY_TYPES = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"];

/** Every Allow statement of every identity policy of the stack, with the resource that holds it. */
function allowStatements(stack: SynthesizedStack) {
  return IDENTITY_POLICY_TYPES.flatMap((type) =>
    stack.resources(type).flatMap((resource) => {
      const document = parsePolicy(resource.values.policy);
      return (document?.Statement ?? [])
        .filter((statement) => statement.Effect === "Allow")
        .map((statement) => ({ resource, statement }));
    }),
  );
}

function unparseable(stack: SynthesizedStack): SynthesizedResource[] {
  return IDENTITY_POLICY_TYPES.flatMap((type) => stack.resources(type)).filter((resource) => parsePolicy(resource.values.policy) === undefined);
}

export const iamNoActionWildcard: GuardrailRule = {
  id: "iam-no-action-wildcard",
  requirement: 'No identity policy allows Action "*" or a whole service ("service:*"), and every policy is a readable JSON document.',
  rationale: "Every permission is granted by name, so a reviewer sees what a role can do and a new API is never granted by accident.",
  check: (stack) => [
    ...unparseable(stack).map((resource) => ({ address: resource.address, message: "build the policy with policyDocument() so it is plain JSON" })),
    ...allowStatements(stack)
      .filter(({ statement }) => asList(statement.Action).some((action) => action === "*" || action.endsWith(":*")))
      .map(({ resource }) => ({ address: resource.address, message: 'name the actions instead of "*" or "service:*"' })),
  ],
};

export const iamResourceWildcard: GuardrailRule = {
  id: "iam-resource-wildcard",
  requirement:
    'An identity policy uses Resource "*" only for actions that support no resource-level permissions, or under a condition that confines it to the project\'s resources (a tag, a service-linked role name).',
  rationale: "Least privilege: when an action can be scoped to ARNs, it is; when it cannot, a condition scopes it.",
  check: (stack) =>
    allowStatements(stack).flatMap(({ resource, statement }) => {
      const unscoped = unscopedWildcardActions(statement);
      return unscoped.length ? [{ address: resource.address, message: `scope ${unscoped.join(", ")} to resource ARNs or a tag condition instead of "*"` }] : [];
    }),
};

/** Resources whose policy admits principals (trust, key and resource policies), by policy attribute. */
const RESOURCE_POLICY_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_iam_role: "assume_role_policy",
  aws_kms_key: "policy",
  aws_s3_bucket_policy: "policy",
  aws_sqs_queue_policy: "policy",
  aws_sns_topic_policy: "policy",
  aws_redshift_resource_policy: "policy",
};

export const iamServicePrincipalSource: GuardrailRule = {
  id: "iam-service-principal-source",
  requirement: `A trust, key or resource policy admits an AWS service only for this account's own resources: under ${SOURCE_CONDITION_KEY_NAMES.join(", ")}, or for a service that names no source, for the reason listed in modules/iam/service-principals.ts.`,
  rationale: "Without it the service would act for anybody's resource that names ours (the confused deputy): another account's rule, alarm or bucket.",
  check: (stack) =>
    Object.entries(RESOURCE_POLICY_ATTRIBUTES).flatMap(([type, attribute]) =>
      stack.resources(type).flatMap((resource) =>
        (parsePolicy(resource.values[attribute])?.Statement ?? [])
          .filter((statement) => statement.Effect === "Allow")
          .flatMap((statement) => {
            const services = asList((statement.Principal as { Service?: unknown } | undefined)?.Service);
            const unconfined = services.filter((service) => !(service in UNCONFINED_SERVICE_PRINCIPALS));
            return unconfined.length > 0 && !confinesSource(statement.Condition)
              ? [{ address: resource.address, message: `add aws:SourceAccount (and aws:SourceArn where known) to the statement admitting ${unconfined.join(", ")}${statement.Sid ? ` (${String(statement.Sid)})` : ""}` }]
              : [];
          }),
      ),
    ),
};

/** Actions that read, write or delete objects (a grant of one on a whole bucket reaches every tenant's data). */
const OBJECT_ACTION = /^s3:(\*|(Get|Put|Delete)Object[A-Za-z]*|\*Object\*?)$/;
/** A bucket's every object: `arn:aws:s3:::<bucket>/*`, or a bucket's ARN expression followed by `/*`. */
const BUCKET_ROOT = /^(arn:aws:s3:::[^/*]+|\$\{[^}]*s3_bucket[^}]*\})\/\*$/;

export const s3ObjectGrantsPrefixed: GuardrailRule = {
  id: "s3-object-grants-prefixed",
  requirement:
    "No identity policy allows an object action (s3:GetObject*, s3:PutObject*, s3:DeleteObject*) on every object of a bucket (<bucket>/*): grants name a key prefix, a tenant's (`<prefix>/${aws:PrincipalTag/tenant}/*`) for customer data.",
  rationale:
    "A role that may read or write a whole bucket turns one bug or injection into every tenant's data; prefixes keep each workload, and each tenant session, to its own keys.",
  check: (stack) =>
    allowStatements(stack).flatMap(({ resource, statement }) => {
      const actions = asList(statement.Action).filter((action) => OBJECT_ACTION.test(action));
      const roots = asList(statement.Resource).filter((arn) => BUCKET_ROOT.test(arn));
      return actions.length && roots.length ? [{ address: resource.address, message: `grant ${actions.join(", ")} under a key prefix instead of ${roots.join(", ")}` }] : [];
    }),
};
