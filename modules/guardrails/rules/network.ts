import { GuardrailRule } from "../rule";
import { LOG_CLASS_TAG } from "../../logging/log-group";
import { PRIVATE_RANGES, cidrContains, tryParseCidr } from "../../network/cidr";
import { PERIMETER_INTERFACE_SERVICES, isPerimeterService } from "../../network/interface-endpoint-policies";
import { SynthesizedResource, SynthesizedStack, asList, blocks, isSet, parsePolicy, refersTo } from "../synthesized-stack";

const WORLD = ["0.0.0.0/0", "::/0"];

export const vpcFlowLogs: GuardrailRule = {
  id: "vpc-flow-logs",
  requirement: "Every VPC has a flow log of ALL traffic.",
  rationale: "Accepted and rejected flows are the evidence an incident investigation starts from.",
  check: (stack) =>
    stack
      .resources("aws_vpc")
      .filter((vpc) => !stack.referencing("aws_flow_log", "vpc_id", vpc).some((log) => log.values.traffic_type === "ALL"))
      .map((vpc) => ({ address: vpc.address, message: 'add an aws_flow_log with vpc_id referring to it and traffic_type "ALL"' })),
};

export const subnetNoPublicIp: GuardrailRule = {
  id: "subnet-no-public-ip",
  requirement: "No subnet assigns public IP addresses to instances at launch.",
  rationale: "Instances are reached through load balancers and leave through NAT; a public address bypasses both.",
  check: (stack) =>
    stack
      .resources("aws_subnet")
      .filter((subnet) => subnet.values.map_public_ip_on_launch === true)
      .map((subnet) => ({ address: subnet.address, message: "remove map_public_ip_on_launch" })),
};

export const defaultSecurityGroupClosed: GuardrailRule = {
  id: "default-sg-no-rules",
  requirement: "Every VPC's default security group is managed and has no rules.",
  rationale: "Resources put in the default group by mistake must get no access at all.",
  check: (stack) =>
    stack.resources("aws_vpc").flatMap((vpc) => {
      const managed = stack.referencing("aws_default_security_group", "vpc_id", vpc);
      if (managed.length === 0) {
        return [{ address: vpc.address, message: "adopt the default security group with an aws_default_security_group without rules" }];
      }
      return managed
        .filter((group) => blocks(group.values.ingress).length + blocks(group.values.egress).length > 0)
        .map((group) => ({ address: group.address, message: "remove every ingress and egress rule" }));
    }),
};

/** Every security group rule of the stack: inline blocks and standalone rule resources, with their direction. */
function securityGroupRules(stack: SynthesizedStack) {
  const rules: Array<{ owner: SynthesizedResource; direction: "ingress" | "egress"; values: Record<string, unknown> }> = [];
  for (const group of stack.resources("aws_security_group")) {
    for (const direction of ["ingress", "egress"] as const) {
      for (const values of blocks(group.values[direction])) rules.push({ owner: group, direction, values });
    }
  }
  for (const rule of stack.resources("aws_security_group_rule")) {
    rules.push({ owner: rule, direction: rule.values.type === "egress" ? "egress" : "ingress", values: rule.values });
  }
  for (const rule of stack.resources("aws_vpc_security_group_ingress_rule")) rules.push({ owner: rule, direction: "ingress", values: rule.values });
  for (const rule of stack.resources("aws_vpc_security_group_egress_rule")) rules.push({ owner: rule, direction: "egress", values: rule.values });
  return rules;
}

export const securityGroupDescriptions: GuardrailRule = {
  id: "sg-description",
  requirement: "Every security group and every security group rule has a description.",
  rationale: "A reviewer must be able to tell from the plan why each opening exists.",
  check: (stack) => [
    ...stack
      .resources("aws_security_group")
      .filter((group) => !isSet(group.values.description) || group.values.description === "Managed by Terraform")
      .map((group) => ({ address: group.address, message: "describe what the security group protects" })),
    ...securityGroupRules(stack)
      .filter((rule) => !isSet(rule.values.description))
      .map((rule) => ({ address: rule.owner.address, message: `describe its ${rule.direction} rule (what and why)` })),
  ],
};

export const securityGroupNoWorldIngress: GuardrailRule = {
  id: "sg-no-world-ingress",
  requirement: "No security group admits traffic from 0.0.0.0/0 or ::/0 (the public ALB's listeners are suppressed explicitly).",
  rationale: "Only the internet-facing load balancer may be reached from the internet.",
  check: (stack) =>
    securityGroupRules(stack)
      .filter((rule) => rule.direction === "ingress")
      .filter((rule) =>
        [rule.values.cidr_ipv4, rule.values.cidr_ipv6, ...[rule.values.cidr_blocks, rule.values.ipv6_cidr_blocks].flat()].some(
          (cidr) => typeof cidr === "string" && WORLD.includes(cidr),
        ),
      )
      .map((rule) => ({ address: rule.owner.address, message: "admit a specific source (a security group or a CIDR inside the VPC), not the internet" })),
};

/** Where private APIs listen: the security groups of EKS control planes and of RDS proxies, by the attribute naming them. */
const PRIVATE_API_GROUPS: ReadonlyArray<{ readonly type: string; readonly groups: (values: Record<string, unknown>) => unknown }> = [
  { type: "aws_eks_cluster", groups: (values) => blocks(values.vpc_config).flatMap((config) => asList(config.security_group_ids)) },
  { type: "aws_db_proxy", groups: (values) => values.vpc_security_group_ids },
];

/** A CIDR inside the private address ranges (RFC 1918). */
function isPrivateCidr(cidr: string): boolean {
  const parsed = tryParseCidr(cidr);
  return parsed !== undefined && PRIVATE_RANGES.some((range) => cidrContains(range, parsed));
}

export const privateApiIngress: GuardrailRule = {
  id: "private-api-ingress",
  requirement:
    "The Kubernetes API (EKS control plane security group) and the RDS proxy admit only security groups or CIDRs inside the environment's VPC or its listed API client networks (Atlantis's subnets in the peered tooling VPC); outside an environment, only private ranges (RFC 1918). (Clients in other stacks are added through DatabaseProxy.allowClient, which takes a security group.)",
  rationale:
    "These endpoints hold the keys to the cluster and to the customer's metrics: they are reached from the nodes, the session host and, through the peering, the delivery tooling, never from the internet or any other private network, whatever the authentication in front.",
  check: (stack, context) => {
    const allowed = context.privateApiClientCidrs?.map((cidr) => tryParseCidr(cidr)).filter((cidr) => cidr !== undefined);
    const admitted = (cidr: string) => {
      const parsed = tryParseCidr(cidr);
      if (parsed === undefined) return false;
      return allowed ? allowed.some((network) => cidrContains(network, parsed)) : isPrivateCidr(cidr);
    };
    const guarded = PRIVATE_API_GROUPS.flatMap(({ type, groups }) => stack.resources(type).flatMap((resource) => asList(groups(resource.values))));
    return stack
      .resources("aws_security_group")
      .filter((group) => guarded.some((reference) => refersTo(reference, group)))
      .flatMap((group) =>
        securityGroupRules(stack)
          .filter((rule) => rule.direction === "ingress" && (rule.owner === group || refersTo(rule.values.security_group_id, group)))
          .filter((rule) => {
            const cidrs = [rule.values.cidr_ipv4, rule.values.cidr_ipv6, ...[rule.values.cidr_blocks, rule.values.ipv6_cidr_blocks].flat()].filter((cidr) => typeof cidr === "string") as string[];
            return cidrs.some((cidr) => !admitted(cidr)) || isSet(rule.values.prefix_list_id);
          })
          .map((rule) => ({
            address: rule.owner.address,
            message: `admit a security group or a CIDR inside ${allowed ? context.privateApiClientCidrs!.join(", ") : "the private ranges"} to ${group.address}, not another range`,
          })),
      );
  },
};

export const logGroupEncryptionAndRetention: GuardrailRule = {
  id: "logs-kms-retention",
  requirement: "Every CloudWatch log group is encrypted with a customer-managed KMS key and has a finite retention.",
  rationale: "Logs can hold personal and scientific data (KMS), and kept forever they cost without limit (retention).",
  check: (stack) =>
    stack
      .resources("aws_cloudwatch_log_group")
      .filter((group) => !isSet(group.values.kms_key_id) || !(typeof group.values.retention_in_days === "number" && group.values.retention_in_days > 0))
      .map((group) => ({ address: group.address, message: "set kms_key_id to a customer-managed key and retention_in_days" })),
};

export const logGroupMinimumRetention: GuardrailRule = {
  id: "logs-minimum-retention",
  requirement: "Where the environment asks for it (production: a year), every CloudWatch log group keeps its events at least that many days.",
  rationale: "Investigating an incident, or answering a data subject or the regulator (LGPD), needs the history of the period in question.",
  check: (stack, context) =>
    stack
      .resources("aws_cloudwatch_log_group")
      .filter((group) => !(typeof group.values.retention_in_days === "number" && group.values.retention_in_days >= context.minimumLogRetentionDays))
      .map((group) => ({
        address: group.address,
        message: `set retention_in_days to at least ${context.minimumLogRetentionDays} (the environment requires it; got ${String(group.values.retention_in_days ?? "none")})`,
      })),
};

export const auditLogDeletionProtection: GuardrailRule = {
  id: "audit-log-deletion-protection",
  requirement: `Where the environment requires deletion protection (production), every log group tagged ${LOG_CLASS_TAG}=audit (the trail, control-plane, database, flow, session, warehouse audit and firewall logs) has deletion protection on.`,
  rationale:
    "An intruder's first move is to erase the evidence: an audit log group that anyone with logs:DeleteLogGroup can delete is not evidence the regulator (LGPD) or an investigation can rely on.",
  check: (stack, context) =>
    context.deletionProtectionRequired
      ? stack
          .resources("aws_cloudwatch_log_group")
          .filter((group) => (group.values.tags as Record<string, unknown> | undefined)?.[LOG_CLASS_TAG] === "audit" && group.values.deletion_protection_enabled !== true)
          .map((group) => ({ address: group.address, message: "set deletion_protection_enabled (LogGroup deletionProtection): an audit log group in this environment" }))
      : [],
};

/** Condition keys that confine a statement to named accounts' (or an organization's) resources. */
const RESOURCE_PERIMETER_KEYS = ["aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths"];

/** Allow statements of an endpoint policy that reach every resource without naming the accounts they belong to. */
function unconfinedStatements(policyText: unknown): string[] | undefined {
  const policy = parsePolicy(policyText);
  if (!policy) return undefined;
  return (policy.Statement ?? [])
    .filter((statement) => {
      if (statement.Effect !== "Allow") return false;
      const everyResource = asList(statement.Resource).includes("*") || statement.NotResource !== undefined;
      const keys = Object.values((statement.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap((operator) => Object.keys(operator).map((key) => key.toLowerCase()));
      return everyResource && !keys.some((key) => RESOURCE_PERIMETER_KEYS.includes(key));
    })
    .map((statement) => String(statement.Sid ?? "unnamed"));
}

/** The service of an endpoint, `com.amazonaws.<region>.<service>` -> `<service>`. */
const endpointService = (serviceName: unknown): string => String(serviceName).split(".").slice(3).join(".");

export const vpcEndpointPerimeter: GuardrailRule = {
  id: "vpc-endpoint-perimeter",
  requirement:
    `Every S3 or DynamoDB gateway endpoint, and every interface endpoint of a service that can carry data out (${PERIMETER_INTERFACE_SERVICES.join(", ")}), has a policy, and each of its Allow statements on every resource is confined to named accounts (aws:ResourceAccount or aws:ResourceOrgID); other statements name their resources.`,
  rationale:
    "Without a policy an endpoint lets anything in the VPC reach any account's resources: a compromised pod could copy customer data to a bucket, queue, secret or log group of its own without crossing the NAT.",
  check: (stack) =>
    stack
      .resources("aws_vpc_endpoint")
      .filter((endpoint) => endpoint.values.vpc_endpoint_type === "Gateway" || isPerimeterService(endpointService(endpoint.values.service_name)))
      .flatMap((endpoint) => {
        const open = unconfinedStatements(endpoint.values.policy);
        if (!open) return [{ address: endpoint.address, message: "set a policy that allows only the environment's accounts' resources (aws:ResourceAccount), and for S3 the AWS-owned buckets it needs" }];
        return open.length > 0 ? [{ address: endpoint.address, message: `confine the Allow statements on every resource (${open.join(", ")}) with aws:ResourceAccount or aws:ResourceOrgID` }] : [];
      }),
};
