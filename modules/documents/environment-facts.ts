import { EnvironmentConfig } from "../../environments";
import { namePrefix } from "../../stacks/naming";

/**
 * What the views of the architecture draw, read from one environment's synthesized stacks (the Terraform JSON cdktf
 * writes): the diagram shows what the code builds, not what someone remembered to draw.
 */

/** One synthesized stack's Terraform JSON. */
export interface SynthesizedJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly provider?: Readonly<Record<string, ReadonlyArray<Readonly<Record<string, unknown>>>>>;
}

/** The facts of one environment the views need. */
export interface EnvironmentFacts {
  readonly environment: string;
  readonly accountId: string;
  readonly region: string;
  readonly vpcCidr: string;
  /** Subnet CIDRs by tier, zone order. */
  readonly subnets: Readonly<Record<"public" | "private" | "isolated", readonly { readonly zone: string; readonly cidr: string }[]>>;
  readonly natGateways: number;
  /** Interface and gateway endpoint services, short names (`s3`, `ecr.api`, ...). */
  readonly endpoints: readonly string[];
  readonly cluster: { readonly name: string; readonly version: string };
  readonly systemNodes: { readonly instanceTypes: readonly string[]; readonly min: number; readonly max: number };
  readonly webPool: { readonly capacityTypes: readonly string[]; readonly cpuLimit: string; readonly memoryLimit: string };
  /** Helm releases: chart and version. */
  readonly charts: readonly { readonly chart: string; readonly version: string }[];
  /** Application Deployments, by name. */
  readonly workloads: readonly string[];
  readonly siteDomain: string;
  readonly wafRules: number;
  /** S3 buckets of the data plane (every stack but state and security), without the `<project>-<env>-` prefix and `-<account>` suffix. */
  readonly buckets: readonly string[];
  /** The security stack's buckets (audit logs, Config history, their access logs), shortened the same way. */
  readonly auditBuckets: readonly string[];
  /** The state stack's buckets (Terraform state and its access logs), shortened the same way. */
  readonly stateBuckets: readonly string[];
  /** Whether the apps stack manages the site's DNS record (a Route 53 hosted zone is configured) or it is set by hand. */
  readonly dnsRecordManaged: boolean;
  /** The zero-ETL integration from RDS to Redshift, by name. */
  readonly integration: string;
  /** The schedule of the dashboard refresh (an EventBridge schedule expression). */
  readonly refreshSchedule: string;
  /** Karpenter's interruption queue (the cluster stack's SQS queue), without the prefix. */
  readonly interruptionQueue: string;
  /** The Karpenter interruption rules (EventBridge) feeding it, without the prefix. */
  readonly interruptionRules: readonly string[];
  readonly repositories: readonly string[];
  readonly database: { readonly identifier: string; readonly instanceClass: string; readonly engineVersion: string; readonly multiAz: boolean };
  readonly proxy: string;
  readonly warehouse: { readonly identifier: string; readonly nodeType: string; readonly nodes: number };
  /** The session host (Session Manager port forwarding to the private endpoints). */
  readonly sessionHost: { readonly instanceType: string };
  /** The tooling account the VPC is peered with (Atlantis), when the environment requests the peering. */
  readonly toolingPeer?: { readonly accountId: string };
  /** State machines, by name: the analysis first. */
  readonly stateMachines: readonly string[];
  /** Lambda functions, by name. */
  readonly functions: readonly string[];
  /** EventBridge rules, without the `<project>-<env>-` prefix. */
  readonly eventRules: readonly string[];
  /** Batch job queues with their priority, highest first. */
  readonly queues: readonly { readonly name: string; readonly priority: number }[];
  /** Batch compute environments: kind and vCPU ceiling. */
  readonly computeEnvironments: readonly { readonly name: string; readonly type: string; readonly maxVcpus: number }[];
  readonly sqsQueues: readonly string[];
  /** KMS key aliases, without `alias/<project>-<env>-`. */
  readonly keys: readonly string[];
  readonly alarms: number;
  readonly alertsTopic: string;
  readonly dashboards: readonly string[];
}

type Resources = Readonly<Record<string, unknown>>[];

/** Every resource of a type across the stacks, in stack then logical-id order. */
function all(stacks: Readonly<Record<string, SynthesizedJson>>, type: string): Resources {
  return Object.keys(stacks)
    .sort()
    .flatMap((name) => Object.values(stacks[name].resource?.[type] ?? {}));
}

function only(stacks: Readonly<Record<string, SynthesizedJson>>, type: string): Readonly<Record<string, unknown>> {
  const found = all(stacks, type);
  if (found.length !== 1) throw new Error(`expected one ${type} in the environment, found ${found.length}`);
  return found[0];
}

const text = (value: unknown) => String(value);

/** Reads the views' facts from the synthesized stacks of one environment (`<env>-<layer>` → JSON). */
export function environmentFacts(env: EnvironmentConfig, stacks: Readonly<Record<string, SynthesizedJson>>): EnvironmentFacts {
  const environment = env.name;
  const network = stacks[`${environment}-network`];
  const provider = network.provider?.aws?.[0] ?? {};
  const accountId = text((provider.allowed_account_ids as string[] | undefined)?.[0]);
  const prefix = `${namePrefix(env)}-`;
  const subnets = all(stacks, "aws_subnet").map((subnet) => ({
    tier: (subnet.tags as Record<string, string>).Tier as "public" | "private" | "isolated",
    zone: text(subnet.availability_zone),
    cidr: text(subnet.cidr_block),
  }));
  const byTier = (tier: "public" | "private" | "isolated") =>
    subnets.filter((subnet) => subnet.tier === tier).sort((a, b) => a.zone.localeCompare(b.zone)).map(({ zone, cidr }) => ({ zone, cidr }));
  const nodePool = all(stacks, "kubernetes_manifest")
    .map((resource) => resource.manifest as { kind: string; spec: Record<string, unknown> })
    .find((manifest) => manifest.kind === "NodePool")!;
  const poolSpec = nodePool.spec as {
    limits: { cpu: string; memory: string };
    template: { spec: { requirements: { key: string; values: string[] }[] } };
  };
  const systemGroup = only(stacks, "aws_eks_node_group");
  const scaling = systemGroup.scaling_config as { min_size: number; max_size: number };
  const database = only(stacks, "aws_db_instance");
  const warehouse = only(stacks, "aws_redshift_cluster");
  const cluster = only(stacks, "aws_eks_cluster");
  const bucketsOf = (names: readonly string[]) =>
    all(Object.fromEntries(names.filter((name) => stacks[name]).map((name) => [name, stacks[name]])), "aws_s3_bucket")
      .map((bucket) => text(bucket.bucket).replace(prefix, "").replace(`-${accountId}`, ""))
      .sort();
  const ingress = only(stacks, "kubernetes_ingress_v1") as { spec: { rule: { host: string }[] } };
  return {
    environment,
    accountId,
    region: text(provider.region),
    vpcCidr: text(only(stacks, "aws_vpc").cidr_block),
    subnets: { public: byTier("public"), private: byTier("private"), isolated: byTier("isolated") },
    natGateways: all(stacks, "aws_nat_gateway").length,
    endpoints: all(stacks, "aws_vpc_endpoint")
      .map((endpoint) => text(endpoint.service_name).split(".").slice(3).join("."))
      .sort(),
    cluster: { name: text(cluster.name), version: text(cluster.version) },
    systemNodes: { instanceTypes: systemGroup.instance_types as string[], min: scaling.min_size, max: scaling.max_size },
    webPool: {
      capacityTypes: poolSpec.template.spec.requirements.find((requirement) => requirement.key === "karpenter.sh/capacity-type")!.values,
      cpuLimit: poolSpec.limits.cpu,
      memoryLimit: poolSpec.limits.memory,
    },
    charts: all(stacks, "helm_release")
      .filter((release) => release.chart !== "karpenter-crd")
      .map((release) => ({ chart: text(release.chart), version: text(release.version) })),
    workloads: all(stacks, "kubernetes_deployment_v1").map((deployment) => text((deployment.metadata as { name: string }).name)),
    siteDomain: ingress.spec.rule[0].host,
    wafRules: (JSON.parse(text(only(stacks, "aws_wafv2_web_acl").rule_json)) as unknown[]).length,
    buckets: bucketsOf(Object.keys(stacks).filter((name) => name !== `${environment}-state` && name !== `${environment}-security`)),
    auditBuckets: bucketsOf([`${environment}-security`]),
    stateBuckets: bucketsOf([`${environment}-state`]),
    dnsRecordManaged: all(stacks, "aws_route53_record").length > 0,
    integration: text(only(stacks, "aws_rds_integration").integration_name),
    refreshSchedule: text(all(stacks, "aws_cloudwatch_event_rule").find((rule) => rule.schedule_expression !== undefined)?.schedule_expression),
    interruptionQueue: text(only({ cluster: stacks[`${environment}-cluster`] }, "aws_sqs_queue").name).replace(prefix, ""),
    interruptionRules: all({ cluster: stacks[`${environment}-cluster`] }, "aws_cloudwatch_event_rule")
      .map((rule) => text(rule.name).replace(prefix, ""))
      .sort(),
    repositories: all(stacks, "aws_ecr_repository")
      .map((repository) => text(repository.name).split("/").pop()!)
      .sort(),
    database: {
      identifier: text(database.identifier),
      instanceClass: text(database.instance_class),
      engineVersion: text(database.engine_version),
      multiAz: database.multi_az === true,
    },
    proxy: text(only(stacks, "aws_db_proxy").name),
    warehouse: { identifier: text(warehouse.cluster_identifier), nodeType: text(warehouse.node_type), nodes: Number(warehouse.number_of_nodes) },
    sessionHost: {
      instanceType: text(all(stacks, "aws_launch_template").find((template) => text(template.name).endsWith("-session-host"))?.instance_type),
    },
    toolingPeer: (() => {
      const peering = all(stacks, "aws_vpc_peering_connection")[0];
      return peering ? { accountId: text(peering.peer_owner_id) } : undefined;
    })(),
    stateMachines: all(stacks, "aws_sfn_state_machine")
      .map((machine) => text(machine.name))
      .sort((a, b) => Number(b.endsWith("-analysis")) - Number(a.endsWith("-analysis")) || a.localeCompare(b)),
    functions: all(stacks, "aws_lambda_function").map((fn) => text(fn.function_name)),
    eventRules: all(stacks, "aws_cloudwatch_event_rule")
      .map((rule) => text(rule.name).replace(prefix, ""))
      .sort(),
    queues: all(stacks, "aws_batch_job_queue")
      .map((queue) => ({ name: text(queue.name).replace(prefix, ""), priority: Number(queue.priority) }))
      .sort((a, b) => b.priority - a.priority),
    computeEnvironments: all(stacks, "aws_batch_compute_environment")
      .map((environment) => {
        const resources = environment.compute_resources as { type: string; max_vcpus: number };
        return { name: text(environment.name_prefix).replace(`${prefix}batch-`, "").replace(/-$/, ""), type: resources.type, maxVcpus: resources.max_vcpus };
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
    sqsQueues: all(stacks, "aws_sqs_queue")
      .map((queue) => text(queue.name).replace(prefix, ""))
      .sort(),
    keys: all(stacks, "aws_kms_alias")
      .map((alias) => text(alias.name).replace(`alias/${prefix}`, ""))
      .sort(),
    alarms: all(stacks, "aws_cloudwatch_metric_alarm").length,
    alertsTopic: text(only(stacks, "aws_sns_topic").name),
    dashboards: all(stacks, "aws_cloudwatch_dashboard").map((dashboard) => text(dashboard.dashboard_name)),
  };
}
