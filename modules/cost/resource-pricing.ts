import type { AnyEnvironmentConfig } from "../../environments";
import { HOURS_PER_MONTH, priceOf } from "./price-list";

/** vCPUs of a Kubernetes CPU quantity (`250m`, `1`, `1.5`). */
export function cpuQuantity(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity);
  if (!match) throw new Error(`not a Kubernetes CPU quantity: ${quantity}`);
  return Number(match[1]) / (match[2] === "m" ? 1000 : 1);
}

/** One line of a monthly bill: what is paid for, how much of it, at what price. */
export interface CostLine {
  /** Stack, e.g. `prod-data`. */
  readonly stack: string;
  /** Terraform address of the resource it prices, or `(assumption)` for a usage the model assumes. */
  readonly address: string;
  /** What is paid for, e.g. `db.r6g.xlarge Multi-AZ instance-hours`. */
  readonly item: string;
  /** How many units a month. */
  readonly quantity: number;
  /** The price's unit. */
  readonly unit: string;
  /** US dollars per unit. */
  readonly unitUsd: number;
  /** quantity × unitUsd. */
  readonly monthlyUsd: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** What a pricer sees: the environment, the stack's synthesized JSON and the resource. */
export interface PricingContext {
  readonly env: AnyEnvironmentConfig;
  readonly stack: string;
  readonly json: Json;
  readonly address: string;
  readonly resource: Json;
}

/** How the model treats a resource type. */
export type ResourcePricing =
  /** A monthly charge the resource's arguments determine. */
  | { readonly kind: "fixed"; readonly lines: (context: PricingContext) => CostLine[] }
  /** No charge of its own (a configuration object, or paid for through another resource): why. */
  | { readonly kind: "free"; readonly reason: string }
  /** Charged by use only (requests, GB stored or transferred): why, and where the model prices that use, if it does. */
  | { readonly kind: "usage"; readonly reason: string };

/** A line for `quantity` units of `item` at the region's price of `priceKey`. */
export function line(context: Pick<PricingContext, "env" | "stack" | "address">, item: string, priceKey: string, quantity: number): CostLine {
  const price = priceOf(context.env.region, priceKey);
  return { stack: context.stack, address: context.address, item, quantity, unit: price.unit, unitUsd: price.usd, monthlyUsd: quantity * price.usd };
}

/** The resource a `${type.name.attr}` reference points to, in the same stack. */
function referenced(json: Json, reference: unknown, type: string): Json {
  const match = typeof reference === "string" ? new RegExp(`\\$\\{${type}\\.([^.}]+)\\.`).exec(reference) : null;
  const resource = match ? json.resource?.[type]?.[match[1]] : undefined;
  if (!resource) throw new Error(`cannot follow ${JSON.stringify(reference)} to a ${type} of the stack`);
  return resource;
}

/** The root volume (GiB, gp3) a launch template gives its instances. */
function launchTemplateVolumeGiB(template: Json): number {
  const mappings: Json[] = [template.block_device_mappings ?? []].flat();
  return mappings.reduce((sum, mapping) => sum + Number(mapping.ebs?.volume_size ?? 0), 0);
}

/** vCPUs of the RDS instance classes the environments use (https://aws.amazon.com/rds/instance-types/). */
export const RDS_CLASS_VCPUS: Readonly<Record<string, number>> = {
  "db.t4g.medium": 2,
  "db.m6g.large": 2,
  "db.r6g.xlarge": 4,
};

/** vCPUs of an RDS instance class, refusing a class the model does not know. */
export function rdsVcpus(instanceClass: string): number {
  const vcpus = RDS_CLASS_VCPUS[instanceClass];
  if (vcpus === undefined) throw new Error(`the cost model does not know the vCPUs of ${instanceClass}: add it to RDS_CLASS_VCPUS (modules/cost/resource-pricing.ts)`);
  return vcpus;
}

/** The instance the model prices the web pods' capacity on, per vCPU (Karpenter's web NodePool runs m6i and alike). */
export const WEB_NODE = { instanceType: "m6i.large", vcpus: 2 } as const;

/** The lines among `lines` of the resource types `types` (by Terraform address). */
export function linesOfTypes(lines: readonly CostLine[], ...types: string[]): CostLine[] {
  return lines.filter((entry) => types.some((type) => entry.address.startsWith(`${type}.`)));
}

const hours = HOURS_PER_MONTH;
const CONFIGURATION = "a configuration object: AWS charges nothing for it";

/** Every resource type the stacks synthesize, and how the model prices it. A type missing here fails the cost test. */
export const RESOURCE_PRICING: Readonly<Record<string, ResourcePricing>> = {
  // Compute and networking that bill by the hour.
  aws_nat_gateway: { kind: "fixed", lines: (c) => [line(c, "NAT gateway-hours", "nat-gateway:hour", hours)] },
  aws_eip: { kind: "fixed", lines: (c) => [line(c, "public IPv4 address-hours", "public-ipv4:hour", hours)] },
  aws_vpc_endpoint: {
    kind: "fixed",
    // Gateway endpoints (S3, DynamoDB) are free; an interface endpoint bills per zone it has a network interface in.
    lines: (c) =>
      c.resource.vpc_endpoint_type === "Interface"
        ? [line(c, `${String(c.resource.service_name).split(".").slice(3).join(".")} interface endpoint, ${c.resource.subnet_ids.length} zones`, "vpc-endpoint:interface-az-hour", hours * c.resource.subnet_ids.length)]
        : [],
  },
  aws_eks_cluster: {
    kind: "fixed",
    lines: (c) =>
      c.resource.upgrade_policy?.support_type === "EXTENDED"
        ? [line(c, "EKS cluster-hours, extended support", "eks:extended-hour", hours)]
        : [line(c, "EKS cluster-hours, standard support", "eks:standard-hour", hours)],
  },
  aws_eks_node_group: {
    kind: "fixed",
    lines: (c) => {
      const nodes = Number(c.resource.scaling_config.desired_size);
      const type = c.resource.instance_types[0];
      const volume = launchTemplateVolumeGiB(referenced(c.json, c.resource.launch_template?.id, "aws_launch_template"));
      return [line(c, `${nodes} × ${type} system nodes`, `ec2:${type}`, nodes * hours), line(c, `${nodes} × ${volume} GiB gp3 root volumes`, "ebs:gp3", nodes * volume)];
    },
  },
  aws_instance: {
    kind: "fixed",
    lines: (c) => {
      const template = referenced(c.json, c.resource.launch_template?.id, "aws_launch_template");
      const type = c.resource.instance_type ?? template.instance_type;
      return [line(c, `${type} instance-hours`, `ec2:${type}`, hours), line(c, `${launchTemplateVolumeGiB(template)} GiB gp3 root volume`, "ebs:gp3", launchTemplateVolumeGiB(template))];
    },
  },
  aws_batch_compute_environment: {
    kind: "fixed",
    // Scales from zero: only a minimum of vCPUs kept running is a fixed cost (priced per analysis otherwise).
    lines: (c) => {
      const minimum = Number(c.resource.compute_resources?.min_vcpus ?? 0);
      if (minimum === 0) return [];
      throw new Error(`${c.stack} ${c.address} keeps ${minimum} vCPUs running: price them (modules/cost/resource-pricing.ts)`);
    },
  },
  aws_db_instance: {
    kind: "fixed",
    lines: (c) => {
      const { instance_class: instanceClass, multi_az: multiAz, allocated_storage: storage } = c.resource;
      const deployment = multiAz ? "multi-az" : "single-az";
      const lines = [
        line(c, `${instanceClass} ${multiAz ? "Multi-AZ" : "Single-AZ"} instance-hours`, `rds:${instanceClass}:${deployment}`, hours),
        line(c, `${storage} GiB gp3 storage, ${multiAz ? "Multi-AZ" : "Single-AZ"}`, `rds:storage-gp3:${deployment}`, Number(storage)),
      ];
      // Performance Insights keeps 7 days free; longer retention (31 days a month) bills its first month and each further one.
      const retentionDays = Number(c.resource.performance_insights_retention_period ?? 7);
      if (c.resource.performance_insights_enabled && retentionDays > 7) {
        const vcpus = rdsVcpus(instanceClass);
        const months = Math.round(retentionDays / 31);
        lines.push(line(c, `Performance Insights ${retentionDays}-day retention: first month, ${vcpus} vCPUs`, "rds:performance-insights-first-month:vcpu-month", vcpus));
        if (months > 1) lines.push(line(c, `Performance Insights ${retentionDays}-day retention: ${months - 1} further months, ${vcpus} vCPUs`, "rds:performance-insights-additional-month:vcpu-month", vcpus * (months - 1)));
      }
      return lines;
    },
  },
  aws_db_proxy: {
    kind: "fixed",
    // Billed per vCPU of the database instance behind it.
    lines: (c) => {
      const instances = Object.values(c.json.resource?.aws_db_instance ?? {}) as Json[];
      const vcpus = instances.reduce((sum, instance) => sum + rdsVcpus(instance.instance_class), 0);
      return [line(c, `RDS Proxy, ${vcpus} vCPUs of the instance behind it`, "rds:proxy:vcpu-hour", vcpus * hours)];
    },
  },
  aws_redshift_cluster: {
    kind: "fixed",
    // A zero-ETL target is never paused: every hour of the month.
    lines: (c) => [line(c, `${c.resource.number_of_nodes} × ${c.resource.node_type} node-hours`, `redshift:${c.resource.node_type}`, Number(c.resource.number_of_nodes) * hours)],
  },
  aws_lb: {
    kind: "fixed",
    lines: (c) => [
      line(c, "Application Load Balancer-hours", "alb:hour", hours),
      ...(c.resource.internal ? [] : [line(c, `public IPv4 addresses, one per zone (${c.resource.subnets.length})`, "public-ipv4:hour", hours * c.resource.subnets.length)]),
    ],
  },
  kubernetes_ingress_v1: {
    kind: "fixed",
    // The AWS Load Balancer Controller creates one ALB per ingress, in the environment's public subnets.
    lines: (c) => {
      const zones = c.env.network.availabilityZones.length;
      const internetFacing = c.resource.metadata.annotations?.["alb.ingress.kubernetes.io/scheme"] === "internet-facing";
      return [
        line(c, "Application Load Balancer-hours (created by the load balancer controller)", "alb:hour", hours),
        ...(internetFacing ? [line(c, `public IPv4 addresses, one per zone (${zones})`, "public-ipv4:hour", hours * zones)] : []),
      ];
    },
  },
  aws_ecs_service: {
    kind: "fixed",
    lines: (c) => {
      const task = referenced(c.json, c.resource.task_definition, "aws_ecs_task_definition");
      const architecture = task.runtime_platform?.cpu_architecture === "ARM64" ? "arm" : "x86";
      const tasks = Number(c.resource.desired_count);
      const vcpus = Number(task.cpu) / 1024;
      const gb = Number(task.memory) / 1024;
      return [
        line(c, `${tasks} Fargate task(s), ${vcpus} vCPU (${architecture})`, `fargate:${architecture}:vcpu-hour`, tasks * vcpus * hours),
        line(c, `${tasks} Fargate task(s), ${gb} GB (${architecture})`, `fargate:${architecture}:gb-hour`, tasks * gb * hours),
      ];
    },
  },
  kubernetes_horizontal_pod_autoscaler_v2: {
    kind: "fixed",
    // The minimum replicas run all month on Karpenter's web nodes: priced by the CPU they request, at an m6i.large's
    // On-Demand price per vCPU (Karpenter packs pods onto nodes, so the nodes cost at least this; more under load).
    lines: (c) => {
      const deployment = referenced(c.json, c.resource.spec.scale_target_ref.name, "kubernetes_deployment_v1");
      const containers: Json[] = [deployment.spec.template.spec.container].flat();
      const vcpus = containers.reduce((sum, container) => sum + cpuQuantity(container.resources?.requests?.cpu ?? "0"), 0);
      const replicas = Number(c.resource.spec.min_replicas);
      const perVcpu = priceOf(c.env.region, `ec2:${WEB_NODE.instanceType}`).usd / WEB_NODE.vcpus;
      return [
        {
          stack: c.stack,
          address: c.address,
          item: `${replicas} × ${deployment.metadata.name} pods' minimum, ${vcpus} vCPU requested each, on Karpenter's web nodes (m6i per vCPU)`,
          quantity: replicas * vcpus * hours,
          unit: "vCPU-hour",
          unitUsd: perVcpu,
          monthlyUsd: replicas * vcpus * hours * perVcpu,
        },
      ];
    },
  },
  // Monthly charges per object.
  aws_wafv2_web_acl: {
    kind: "fixed",
    lines: (c) => {
      const rules = (JSON.parse(c.resource.rule_json ?? "[]") as Json[]).length;
      return [line(c, "WAF web ACL", "waf:web-acl-month", 1), line(c, `WAF rules and managed rule groups (${rules})`, "waf:rule-month", rules)];
    },
  },
  aws_kms_key: { kind: "fixed", lines: (c) => [line(c, "KMS customer managed key", "kms:key-month", 1)] },
  aws_cloudwatch_metric_alarm: {
    kind: "fixed",
    // Standard resolution, billed per metric an alarm evaluates.
    lines: (c) => {
      const metrics = c.resource.metric_query ? (c.resource.metric_query as Json[]).filter((query) => query.metric).length : 1;
      return [line(c, `CloudWatch alarm, ${metrics} metric(s)`, "cloudwatch:alarm-metric-month", metrics)];
    },
  },
  aws_cloudwatch_dashboard: { kind: "fixed", lines: (c) => [line(c, "CloudWatch dashboard", "cloudwatch:dashboard-month", 1)] },
  aws_secretsmanager_secret: { kind: "fixed", lines: (c) => [line(c, "Secrets Manager secret", "secrets-manager:secret-month", 1)] },

  // Charged by use only.
  aws_s3_bucket: { kind: "usage", reason: "storage and requests: the analyses' files are priced per analysis; logs and state are small" },
  aws_dynamodb_table: { kind: "usage", reason: "on-demand capacity: state lock items only" },
  aws_sqs_queue: { kind: "usage", reason: "requests: one status message per analysis, Karpenter's interruption events" },
  aws_sns_topic: { kind: "usage", reason: "publishes and email notifications: alarms only" },
  aws_sfn_state_machine: { kind: "usage", reason: "state transitions: priced per analysis" },
  aws_lambda_function: { kind: "usage", reason: "requests and GB-seconds: one validation per analysis, one warehouse setup per deploy" },
  aws_lambda_invocation: { kind: "usage", reason: "one invocation per deploy" },
  aws_ecr_repository: { kind: "usage", reason: "image storage, GB-month" },
  aws_guardduty_malware_protection_plan: { kind: "usage", reason: "GuardDuty Malware Protection for S3: per GB scanned and per object, every upload once" },
  aws_efs_file_system: { kind: "usage", reason: "storage, GB-month: Atlantis's plans and locks" },
  aws_efs_backup_policy: { kind: "usage", reason: "AWS Backup storage of the file system, GB-month" },
  aws_cloudwatch_log_group: { kind: "usage", reason: "ingestion and storage: priced as the environment's assumed log ingestion" },
  aws_flow_log: { kind: "usage", reason: "log ingestion: part of the environment's assumed log ingestion" },
  aws_wafv2_web_acl_logging_configuration: { kind: "usage", reason: "log ingestion: part of the environment's assumed log ingestion" },
  aws_redshift_logging: { kind: "usage", reason: "audit logs in S3, GB-month" },
  aws_rds_integration: { kind: "usage", reason: "zero-ETL has no charge of its own; the Redshift cluster and the change data it stores are priced there" },
  aws_vpc_peering_connection: { kind: "usage", reason: "no hourly charge; data transfer across zones, GB" },
  aws_vpc_peering_connection_accepter: { kind: "usage", reason: "no hourly charge; data transfer across zones, GB" },
  aws_cloudwatch_event_rule: { kind: "usage", reason: "events: those of AWS services are free; the refresh schedule is a few a day" },
  // The security baseline (stacks/security-stack.ts): every service bills what it analyses or records.
  aws_cloudtrail: { kind: "usage", reason: "the first trail's management events are free; S3 data events per 100,000 (the customer and state buckets' object calls)" },
  aws_guardduty_detector: { kind: "usage", reason: "per GB of CloudTrail, VPC flow and DNS events analysed" },
  aws_guardduty_detector_feature: { kind: "usage", reason: "per GB or event analysed (S3 data events, EKS audit logs, RDS logins), per vCPU-hour monitored (runtime), per GB scanned (EBS malware)" },
  aws_guardduty_publishing_destination: { kind: "usage", reason: "the exported findings' S3 storage and requests" },
  aws_securityhub_account: { kind: "usage", reason: "per finding ingested and per security check run" },
  aws_securityhub_standards_subscription: { kind: "usage", reason: "per security check of the standard's controls" },
  aws_config_configuration_recorder: { kind: "usage", reason: "per configuration item recorded" },
  aws_config_config_rule: { kind: "usage", reason: "per rule evaluation" },
  aws_accessanalyzer_analyzer: { kind: "usage", reason: "external access: no charge; unused access: per IAM role and user analysed a month" },
  kubernetes_deployment_v1: { kind: "usage", reason: "its pods beyond the autoscaler's minimum (priced there) run on web nodes Karpenter adds under load" },
  kubernetes_job_v1: { kind: "usage", reason: "a pod for the duration of the migrations, on existing nodes" },

  // No charge of their own.
  ...Object.fromEntries(
    [
      "aws_acm_certificate_validation",
      "aws_cloudwatch_log_metric_filter",
      "aws_config_configuration_recorder_status",
      "aws_config_delivery_channel",
      "aws_batch_job_definition",
      "aws_batch_job_queue",
      "aws_batch_scheduling_policy",
      "aws_cloudwatch_event_target",
      "aws_db_parameter_group",
      "aws_db_proxy_default_target_group",
      "aws_db_proxy_target",
      "aws_db_subnet_group",
      "aws_default_network_acl",
      "aws_default_route_table",
      "aws_default_security_group",
      "aws_ecr_lifecycle_policy",
      "aws_ecs_cluster",
      "aws_efs_access_point",
      "aws_efs_file_system_policy",
      "aws_eks_access_entry",
      "aws_eks_access_policy_association",
      "aws_eks_pod_identity_association",
      "aws_iam_instance_profile",
      "aws_iam_policy",
      "aws_iam_role",
      "aws_iam_role_policy",
      "aws_iam_role_policy_attachment",
      "aws_internet_gateway",
      "aws_kms_alias",
      "aws_s3_bucket_object_lock_configuration",
      "aws_launch_template",
      "aws_lb_listener",
      "aws_lb_listener_rule",
      "aws_lb_target_group",
      "aws_redshift_parameter_group",
      "aws_redshift_resource_policy",
      "aws_redshift_subnet_group",
      "aws_route",
      "aws_route_table",
      "aws_route_table_association",
      "aws_s3_bucket_cors_configuration",
      "aws_s3_bucket_lifecycle_configuration",
      "aws_s3_bucket_logging",
      "aws_s3_bucket_notification",
      "aws_s3_bucket_ownership_controls",
      "aws_s3_bucket_policy",
      "aws_s3_bucket_public_access_block",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_s3_bucket_versioning",
      "aws_security_group",
      "aws_sns_topic_policy",
      "aws_sns_topic_subscription",
      "aws_sqs_queue_policy",
      "aws_ssm_document",
      "aws_subnet",
      "aws_vpc",
      "aws_vpc_security_group_egress_rule",
      "aws_vpc_security_group_ingress_rule",
      "aws_wafv2_web_acl_association",
      "kubernetes_config_map_v1",
      "kubernetes_manifest",
      "kubernetes_namespace_v1",
      "kubernetes_network_policy_v1",
      "kubernetes_pod_disruption_budget_v1",
      "kubernetes_service_account_v1",
    ].map((type) => [type, { kind: "free", reason: CONFIGURATION } as const]),
  ),
  aws_acm_certificate: { kind: "free", reason: "public certificates are free" },
  aws_ecs_task_definition: { kind: "free", reason: "priced through the service that runs it" },
  aws_efs_mount_target: { kind: "free", reason: "no charge of its own (the file system's storage is)" },
  aws_eks_addon: { kind: "free", reason: "no charge of its own: its pods run on the priced system nodes" },
  helm_release: { kind: "free", reason: "software: its pods run on the priced system nodes" },
  kubernetes_service_v1: { kind: "free", reason: "ClusterIP services: no load balancer" },
};
