import { GuardrailRule } from "../rule";
import { SynthesizedResource, SynthesizedStack, asList, blocks, isSet, refersTo } from "../synthesized-stack";

const clusters = (stack: SynthesizedStack) => stack.resources("aws_redshift_cluster");

export const redshiftEncrypted: GuardrailRule = {
  id: "redshift-encrypted",
  requirement: "Every Redshift cluster is encrypted with a customer-managed KMS key.",
  rationale: "The dashboard's data is customer data; snapshots inherit the encryption.",
  check: (stack) =>
    clusters(stack)
      .filter((cluster) => String(cluster.values.encrypted) !== "true" || !isSet(cluster.values.kms_key_id))
      .map((cluster) => ({ address: cluster.address, message: "set encrypted = true and kms_key_id to a customer-managed key" })),
};

export const redshiftNotPublic: GuardrailRule = {
  id: "redshift-not-public",
  requirement: "Every Redshift cluster sets publicly_accessible = false.",
  rationale: "The warehouse is reached from inside the VPC and through the Data API only.",
  check: (stack) =>
    clusters(stack)
      .filter((cluster) => cluster.values.publicly_accessible !== false)
      .map((cluster) => ({ address: cluster.address, message: "set publicly_accessible = false explicitly" })),
};

/** True when an egress rule of one of the cluster's security groups lets it reach a prefix list (S3's) on 443. */
function reachesPrefixListOnHttps(stack: SynthesizedStack, cluster: SynthesizedResource): boolean {
  const groups = stack.resources("aws_security_group").filter((group) => ([cluster.values.vpc_security_group_ids].flat() as unknown[]).some((id) => refersTo(id, group)));
  return stack
    .resources("aws_vpc_security_group_egress_rule")
    .some(
      (rule) =>
        groups.some((group) => refersTo(rule.values.security_group_id, group)) &&
        isSet(rule.values.prefix_list_id) &&
        Number(rule.values.from_port) <= 443 &&
        Number(rule.values.to_port) >= 443,
    );
}

export const redshiftEnhancedVpcRouting: GuardrailRule = {
  id: "redshift-enhanced-vpc-routing",
  requirement:
    "Every Redshift cluster uses enhanced VPC routing; one with an IAM role (which COPY and UNLOAD run with) also lets its security group reach S3 (a prefix list) on 443.",
  rationale:
    "COPY and UNLOAD traffic goes through the VPC (its endpoints and flow logs), not the public network; with no egress to S3's prefix list it times out there instead. A cluster without a role runs neither.",
  check: (stack) =>
    clusters(stack).flatMap((cluster) => {
      const hasRole = asList(cluster.values.iam_roles).length > 0 || isSet(cluster.values.default_iam_role_arn);
      const problems = [
        cluster.values.enhanced_vpc_routing !== true && "set enhanced_vpc_routing = true",
        hasRole && !reachesPrefixListOnHttps(stack, cluster) && "add an egress rule on 443 to the S3 gateway endpoint's prefix list to its security group",
      ].filter((problem): problem is string => typeof problem === "string");
      return problems.length ? [{ address: cluster.address, message: problems.join("; ") }] : [];
    }),
};

export const redshiftRequireSsl: GuardrailRule = {
  id: "redshift-ssl",
  requirement: "Every Redshift cluster uses a parameter group with require_ssl = true.",
  rationale: "Queries and results never cross the network unencrypted.",
  check: (stack) =>
    clusters(stack)
      .filter((cluster) => {
        const group = stack
          .resources("aws_redshift_parameter_group")
          .find((candidate) => refersTo(cluster.values.cluster_parameter_group_name, candidate));
        return !blocks(group?.values.parameter).some((parameter) => parameter.name === "require_ssl" && parameter.value === "true");
      })
      .map((cluster) => ({ address: cluster.address, message: 'reference an aws_redshift_parameter_group with require_ssl = "true"' })),
};

export const redshiftAuditLogging: GuardrailRule = {
  id: "redshift-audit-logging",
  requirement: "Every Redshift cluster has audit logging (connection, user and user activity logs) on.",
  rationale: "Who connected and what they ran is needed for audits (LGPD) and investigations.",
  check: (stack) =>
    clusters(stack)
      .filter(
        (cluster) =>
          !stack.referencing("aws_redshift_logging", "cluster_identifier", cluster).some((logging) => {
            const exports = (logging.values.log_exports ?? []) as unknown[];
            return ["connectionlog", "userlog", "useractivitylog"].every((log) => exports.includes(log));
          }),
      )
      .map((cluster) => ({ address: cluster.address, message: "add an aws_redshift_logging with log_exports connectionlog, userlog and useractivitylog" })),
};
