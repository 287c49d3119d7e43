import { isWildcardOnlyAction } from "../../iam/action-catalog";
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
  requirement: 'An identity policy uses Resource "*" only for actions that support no resource-level permissions.',
  rationale: "Least privilege: when an action can be scoped to ARNs, it is.",
  check: (stack) =>
    allowStatements(stack)
      .filter(({ statement }) => asList(statement.Resource).includes("*"))
      .flatMap(({ resource, statement }) => {
        const scopable = asList(statement.Action).filter((action) => !isWildcardOnlyAction(action));
        return scopable.length
          ? [{ address: resource.address, message: `scope ${scopable.join(", ")} to resource ARNs instead of "*"` }]
          : [];
      }),
};
