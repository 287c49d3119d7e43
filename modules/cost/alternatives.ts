import type { AnyEnvironmentConfig } from "../../environments";
import { SynthesizedStacks, fixedCost } from "./cost-model";
import { HOURS_PER_MONTH } from "./price-list";
import { CostLine, WEB_NODE, line, linesOfTypes, rdsVcpus } from "./resource-pricing";

/**
 * The alternatives to three of the platform's decisions, priced like the platform itself: for one environment and its
 * synthesized stacks, the monthly cost of what we run (the cost model's own lines, so both sides count the same
 * things) and of the alternative a reviewer asks about. An alternative the price data cannot price is returned
 * unpriced, with the reason, never estimated.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The decisions whose alternative the model prices. */
export type Decision = "postgres" | "warehouse" | "nodes";

/** One side of a decision: what is paid for, line by line, and the month's total. */
export interface PricedOption {
  /** What it is, e.g. `RDS for PostgreSQL and RDS Proxy`. */
  readonly name: string;
  readonly lines: readonly CostLine[];
  readonly monthlyUsd: number;
}

/** Why an alternative has no price: Aurora lacks the instance class, or the price data lacks the fee. */
export type Unpriced = { readonly kind: "class-not-offered"; readonly instanceClass: string } | { readonly kind: "no-price-data"; readonly looked: string };

/** One decision in one environment: our choice, the alternative (or why it is not priced). */
export interface AlternativeCost {
  readonly decision: Decision;
  readonly environment: string;
  /** The environment's region, whose prices both sides use. */
  readonly region: string;
  readonly ours: PricedOption;
  /** Undefined when the alternative cannot be priced: `unpriced` says why. */
  readonly alternative?: PricedOption;
  /** Why the alternative has no price (set exactly when `alternative` is undefined). */
  readonly unpriced?: Unpriced;
  /** Instance-hours a month the alternative would manage (EKS Auto Mode's fee is per managed instance-hour). */
  readonly managedInstanceHours?: number;
}

/**
 * Base capacity, in RPUs, a Redshift Serverless workgroup is priced at as the zero-ETL target. Zero-ETL asks of a
 * Serverless target only case sensitivity (https://docs.aws.amazon.com/redshift/latest/mgmt/zero-etl.reqs-lims.html);
 * the smallest base capacity is 4 RPUs only in the Regions AWS lists, and São Paulo is not one of them, so 8 RPUs
 * there (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-capacity.html). Replication keeps the workgroup
 * busy, so the model bills the base capacity every hour of the month: an upper bound when replication leaves it idle,
 * a lower bound when the dashboard's queries scale it above its base.
 */
export const ZERO_ETL_SERVERLESS_BASE_RPUS = 8;

/**
 * Whether Aurora PostgreSQL offers an RDS instance class: it has memory-optimized (R, X) and burstable (T, medium and
 * large) classes, and no general-purpose M classes
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.SupportAurora.html).
 */
export function auroraOffers(instanceClass: string): boolean {
  return /^db\.(r\d+[a-z]*|x\d+[a-z]*)\.[a-z0-9]+$/.test(instanceClass) || /^db\.t\d+[a-z]*\.(medium|large)$/.test(instanceClass);
}

const hours = HOURS_PER_MONTH;
const total = (lines: readonly CostLine[]) => lines.reduce((sum, entry) => sum + entry.monthlyUsd, 0);
const option = (name: string, lines: readonly CostLine[]): PricedOption => ({ name, lines, monthlyUsd: total(lines) });

/** Each resource of `type` in one stack, with its address. */
function resourcesOf(json: Json, type: string): Array<{ address: string; resource: Json }> {
  return Object.entries((json?.resource?.[type] ?? {}) as Record<string, Json>).map(([name, resource]) => ({ address: `${type}.${name}`, resource }));
}

/**
 * Aurora PostgreSQL in place of each RDS for PostgreSQL instance of the data stack: the same instance class; Multi-AZ
 * as a writer and one reader in another zone, each billed; Aurora Standard storage for the RDS instance's allocated
 * size (Aurora bills what is used, so this is an upper bound), its I/O requests billed by use and not counted here
 * (I/O-Optimized, a higher instance price without I/O charges, pays off only when I/O is over about a quarter of the
 * Aurora bill); RDS Proxy per vCPU of every instance; Performance Insights as configured, per instance. `unpriced`,
 * with the reason, when Aurora does not offer the class.
 */
export function auroraLines(env: AnyEnvironmentConfig, stack: string, json: Json): { lines: CostLine[] } | { unpriced: Unpriced } {
  const instances = resourcesOf(json, "aws_db_instance");
  if (instances.length === 0) throw new Error(`${stack} has no aws_db_instance: nothing to compare Aurora with`);
  const lines: CostLine[] = [];
  let vcpus = 0;
  for (const { address, resource } of instances) {
    const instanceClass = String(resource.instance_class);
    const classCpus = rdsVcpus(instanceClass);
    if (!auroraOffers(instanceClass)) return { unpriced: { kind: "class-not-offered", instanceClass } };
    const count = resource.multi_az ? 2 : 1;
    const context = { env, stack, address };
    lines.push(line(context, `Aurora ${instanceClass}: ${count === 2 ? "writer and a reader in another zone" : "writer"}, instance-hours`, `aurora-postgresql:${instanceClass}`, count * hours));
    lines.push(line(context, `${resource.allocated_storage} GB Aurora Standard storage (I/O billed by use)`, "aurora:storage-standard", Number(resource.allocated_storage)));
    // Aurora's Performance Insights costs what RDS's does per vCPU-month (rds-aurora-storage.json): same price keys.
    const retentionDays = Number(resource.performance_insights_retention_period ?? 7);
    if (resource.performance_insights_enabled && retentionDays > 7) {
      const months = Math.round(retentionDays / 31);
      lines.push(line(context, `Performance Insights ${retentionDays}-day retention: first month, ${count} × ${classCpus} vCPUs`, "rds:performance-insights-first-month:vcpu-month", count * classCpus));
      if (months > 1) lines.push(line(context, `Performance Insights ${retentionDays}-day retention: ${months - 1} further months, ${count} × ${classCpus} vCPUs`, "rds:performance-insights-additional-month:vcpu-month", count * classCpus * (months - 1)));
    }
    vcpus += count * classCpus;
  }
  for (const { address } of resourcesOf(json, "aws_db_proxy")) {
    lines.push(line({ env, stack, address }, `RDS Proxy, ${vcpus} vCPUs of the Aurora instances behind it`, "rds:proxy:vcpu-hour", vcpus * hours));
  }
  return { lines };
}

/** Redshift Serverless in place of each provisioned cluster: the base capacity every hour (ZERO_ETL_SERVERLESS_BASE_RPUS). */
export function redshiftServerlessLines(env: AnyEnvironmentConfig, stack: string, json: Json): CostLine[] {
  const clusters = resourcesOf(json, "aws_redshift_cluster");
  if (clusters.length === 0) throw new Error(`${stack} has no aws_redshift_cluster: nothing to compare Redshift Serverless with`);
  return clusters.map(({ address }) =>
    line({ env, stack, address }, `Redshift Serverless, ${ZERO_ETL_SERVERLESS_BASE_RPUS} RPUs base capacity kept busy by zero-ETL`, "redshift-serverless:rpu-hour", ZERO_ETL_SERVERLESS_BASE_RPUS * hours),
  );
}

/**
 * Instance-hours a month EKS Auto Mode would manage, and charge its fee on: the system node group's nodes, and the web
 * pods' minimum as the cost model prices it (`fixed`, its vCPU-hours over `WEB_NODE`'s vCPUs). Batch's EC2
 * instances are not Kubernetes nodes, so Auto Mode would not manage them.
 */
export function autoModeInstanceHours(stacks: SynthesizedStacks, fixed: readonly CostLine[]): number {
  const nodes = Object.values(stacks)
    .flatMap((json) => resourcesOf(json, "aws_eks_node_group"))
    .reduce((sum, { resource }) => sum + Number(resource.scaling_config.desired_size) * hours, 0);
  const webVcpuHours = linesOfTypes(fixed, "kubernetes_horizontal_pod_autoscaler_v2").reduce((sum, entry) => sum + entry.quantity, 0);
  return nodes + webVcpuHours / WEB_NODE.vcpus;
}

/**
 * Where the EKS Auto Mode fee was looked for: AWS's pricing page data for EKS, as the price list's other entries were
 * read (QuinnyPig/aws-price-watcher@a6645eb processed/eks.json), lists the control plane, extended support and Fargate
 * only, with no per-instance Auto Mode fee for any Region; no other source of São Paulo's fee was found.
 */
export const AUTO_MODE_PRICE_LOOKED = "QuinnyPig/aws-price-watcher@a6645eb processed/eks.json";

/**
 * The three decisions of a workload environment, ours against the alternative; none for the tooling account (no
 * database, warehouse or cluster). Refuses an environment whose data or cluster stack is missing.
 */
export function environmentAlternatives(env: AnyEnvironmentConfig, stacks: SynthesizedStacks): AlternativeCost[] {
  if (env.kind === "tooling") return [];
  const dataStack = `${env.name}-data`;
  const data = stacks[dataStack];
  if (!data) throw new Error(`${env.name}: the alternatives need the ${dataStack} stack`);
  if (!stacks[`${env.name}-cluster`]) throw new Error(`${env.name}: the alternatives need the ${env.name}-cluster stack`);
  const aurora = auroraLines(env, dataStack, data);
  const serverless = redshiftServerlessLines(env, dataStack, data);
  const fixed = fixedCost(env, stacks);
  return [
    {
      decision: "postgres",
      environment: env.name,
      region: env.region,
      ours: option("RDS for PostgreSQL and RDS Proxy", linesOfTypes(fixed, "aws_db_instance", "aws_db_proxy")),
      ...("lines" in aurora ? { alternative: option("Aurora PostgreSQL (Aurora Standard) and RDS Proxy", aurora.lines) } : { unpriced: aurora.unpriced }),
    },
    {
      decision: "warehouse",
      environment: env.name,
      region: env.region,
      ours: option("Redshift provisioned (RA3)", linesOfTypes(fixed, "aws_redshift_cluster")),
      alternative: option(`Redshift Serverless, ${ZERO_ETL_SERVERLESS_BASE_RPUS} RPUs every hour`, serverless),
    },
    {
      decision: "nodes",
      environment: env.name,
      region: env.region,
      ours: option("system nodes and web capacity under self-managed Karpenter", linesOfTypes(fixed, "aws_eks_node_group", "kubernetes_horizontal_pod_autoscaler_v2")),
      unpriced: { kind: "no-price-data", looked: AUTO_MODE_PRICE_LOOKED },
      managedInstanceHours: autoModeInstanceHours(stacks, fixed),
    },
  ];
}
