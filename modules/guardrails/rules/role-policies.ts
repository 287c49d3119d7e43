import { GuardrailRule } from "../rule";
import { asList, refersTo } from "../synthesized-stack";

/**
 * Resources whose role AWS checks when it creates them, by the attribute that names the role: the state machine's
 * log delivery ("The state machine IAM Role is not authorized to access the Log Destination"), the EKS cluster and
 * node group roles, RDS Enhanced Monitoring ("IAM role ARN value is invalid or does not include the required
 * permissions for: ENHANCED_MONITORING"), and a Lambda function's (in a VPC, ec2:CreateNetworkInterface).
 */
export const ROLE_VALIDATED_AT_CREATE: ReadonlyArray<{ readonly type: string; readonly attribute: string }> = [
  { type: "aws_sfn_state_machine", attribute: "role_arn" },
  { type: "aws_eks_cluster", attribute: "role_arn" },
  { type: "aws_eks_node_group", attribute: "node_role_arn" },
  { type: "aws_db_instance", attribute: "monitoring_role_arn" },
  { type: "aws_lambda_function", attribute: "role" },
];

/** Resources that give a role its permissions, each naming the role in `role`. */
const ROLE_POLICY_TYPES = ["aws_iam_role_policy", "aws_iam_role_policy_attachment"];

export const rolePoliciesBeforeUse: GuardrailRule = {
  id: "role-policies-before-use",
  requirement: `A resource whose role AWS validates at creation (${ROLE_VALIDATED_AT_CREATE.map(({ type, attribute }) => `${type}.${attribute}`).join(", ")}) depends_on every aws_iam_role_policy and aws_iam_role_policy_attachment of that role in its stack.`,
  rationale:
    "Terraform creates a role's policies in parallel with whatever uses the role unless told otherwise; AWS then refuses the create (or the first apply fails and only a retry succeeds) because the role does not have its permissions yet.",
  check: (stack) =>
    ROLE_VALIDATED_AT_CREATE.flatMap(({ type, attribute }) =>
      stack.resources(type).flatMap((resource) => {
        const dependsOn = asList(resource.values.depends_on);
        return stack
          .resources("aws_iam_role")
          .filter((role) => refersTo(resource.values[attribute], role))
          .flatMap((role) => {
            const missing = ROLE_POLICY_TYPES.flatMap((policyType) => stack.referencing(policyType, "role", role))
              .map((policy) => policy.address)
              .filter((address) => !dependsOn.includes(address));
            return missing.length
              ? [
                  {
                    address: resource.address,
                    message: `add ${missing.join(", ")} to depends_on: AWS checks the permissions of ${role.address} (${attribute}) when it creates this resource (IamRole.grantsBefore)`,
                  },
                ]
              : [];
          });
      }),
    ),
};
