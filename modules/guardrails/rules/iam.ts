import { unscopedWildcardActions } from "../../iam/scoping-conditions";
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
