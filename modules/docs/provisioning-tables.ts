import { ENVIRONMENT_INPUTS, loadEnvironments } from "../../environments";
import type { EnvironmentConfig, LoadedEnvironments } from "../../environments";
import type { EnvironmentCost } from "../cost/cost-model";
import { HOURS_PER_MONTH } from "../cost/price-list";
import { cpuQuantity } from "../cost/resource-pricing";
import { sizeVcpus } from "../pipeline/instance-families";
import { markdownTable } from "./markdown-table";

/**
 * The generated tables of the provisioning guide (docs/provisioning.md, docs/pt-BR/provisioning.md), between the same
 * markers as docs/architecture.md's (`npm run docs:environments`): the EC2 vCPU quotas each environment needs, from its
 * capacity settings, and the time and cost of a first build, from the apply durations below and the cost model.
 */

export type GuideLanguage = "en" | "pt-BR";

/** The sections the guides hold, in the order they appear. */
export const PROVISIONING_TABLE_SECTIONS = ["first-build-time", "first-build-cost", "quotas"] as const;
export type ProvisioningTableSection = (typeof PROVISIONING_TABLE_SECTIONS)[number];

/** The EC2 quotas (Service Quotas, service `ec2`) the environments' instances count against. */
export const EC2_QUOTAS = {
  onDemand: { code: "L-1216C47A", name: "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances" },
  spot: { code: "L-34B43A08", name: "All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests" },
} as const;

/** Instance families those two quotas cover: every instance of the platform must be one of them. */
export const STANDARD_FAMILY_LETTERS = ["a", "c", "d", "h", "i", "m", "r", "t", "z"] as const;

/**
 * How long each stack's first apply takes, in minutes (low, high), as each step of the guide states it (a test keeps
 * the two equal). Waits for people (DNS delegation, certificate validation, quota requests, email confirmations) are
 * not included.
 */
export const APPLY_MINUTES = {
  tooling: { state: [2, 2], identity: [1, 1], network: [5, 5], security: [5, 5], atlantis: [10, 10], peering: [1, 1] },
  workload: { state: [2, 2], identity: [1, 1], network: [5, 5], security: [5, 5], data: [30, 45], cluster: [15, 20], platform: [5, 5], pipeline: [3, 3], apps: [5, 10] },
} as const satisfies Record<"tooling" | "workload", Record<string, readonly [number, number]>>;

/** The phrase a step uses to state its apply time: "about 5 minutes", "30 to 45 minutes". */
export function durationPhrase([low, high]: readonly [number, number], language: GuideLanguage): string {
  if (language === "en") return low === high ? (low === 1 ? "about a minute" : `about ${low} minutes`) : `${low} to ${high} minutes`;
  return low === high ? (low === 1 ? "cerca de um minuto" : `cerca de ${low} minutos`) : `${low} a ${high} minutos`;
}

/** vCPUs of an EC2 instance type (`m6i.large`, `t4g.micro`, `c7i.24xlarge`). */
export function vcpusOfInstanceType(instanceType: string): number {
  const [family, size = ""] = instanceType.split(".");
  const standard = sizeVcpus(size);
  if (standard !== undefined) return standard;
  if (family.startsWith("t") && ["nano", "micro", "small", "medium"].includes(size)) return 2;
  if (size === "medium") return 1;
  throw new Error(`the vCPUs of ${instanceType} are unknown: add its size to vcpusOfInstanceType`);
}

/** A Kubernetes CPU quantity ("32", "1500m") in whole vCPUs, rounded up. */
export function cpuQuantityVcpus(quantity: string): number {
  return Math.ceil(cpuQuantity(quantity));
}

/** One contribution to an environment's vCPU ceiling. */
export interface VcpuSource {
  readonly source: "system nodes" | "session host" | "Karpenter web pool" | "Batch";
  readonly detail: string;
  readonly vcpus: number;
}

/** The most vCPUs an environment's instances can reach, On-Demand and Spot, and where each figure comes from. */
export interface ServiceQuota {
  readonly environment: string;
  readonly account: string;
  readonly region: string;
  readonly onDemand: readonly VcpuSource[];
  readonly spot: readonly VcpuSource[];
  readonly onDemandVcpus: number;
  readonly spotVcpus: number;
}

/**
 * An environment's EC2 vCPU ceilings: the system node group at its maximum size on its largest instance type
 * (On-Demand), the session host (On-Demand), the Karpenter web pool's CPU limit under each capacity type it allows
 * (the whole limit may land on either), and the Batch compute environments' maximum vCPUs (Spot and On-Demand).
 * Karpenter and Batch may overshoot their limit by one instance: the table's figure is the configured ceiling.
 */
export function serviceQuota(env: EnvironmentConfig): ServiceQuota {
  const { systemNodes, sessionHost } = env.cluster;
  const largest = Math.max(...systemNodes.instanceTypes.map(vcpusOfInstanceType));
  const web = env.platform.karpenter.webPool;
  const webVcpus = cpuQuantityVcpus(web.cpuLimit);
  const webSource: VcpuSource = { source: "Karpenter web pool", detail: `CPU limit ${web.cpuLimit}`, vcpus: webVcpus };
  const onDemand: VcpuSource[] = [
    { source: "system nodes", detail: `${systemNodes.maxSize} × ${largest}`, vcpus: systemNodes.maxSize * largest },
    { source: "session host", detail: `1 × ${vcpusOfInstanceType(sessionHost.instanceType)}`, vcpus: vcpusOfInstanceType(sessionHost.instanceType) },
    ...(web.capacityTypes.includes("on-demand") ? [webSource] : []),
    { source: "Batch", detail: `onDemandMaxVcpus ${env.pipeline.onDemandMaxVcpus}`, vcpus: env.pipeline.onDemandMaxVcpus },
  ];
  const spot: VcpuSource[] = [...(web.capacityTypes.includes("spot") ? [webSource] : []), { source: "Batch", detail: `spotMaxVcpus ${env.pipeline.spotMaxVcpus}`, vcpus: env.pipeline.spotMaxVcpus }];
  const sum = (sources: readonly VcpuSource[]) => sources.reduce((total, entry) => total + entry.vcpus, 0);
  return { environment: env.name, account: env.awsAccountId, region: env.region, onDemand, spot, onDemandVcpus: sum(onDemand), spotVcpus: sum(spot) };
}

/** `serviceQuota` of a committed environment, by name: what the guide's quota commands ask for. */
export function serviceQuotaOf(name: string): ServiceQuota {
  const env = loadEnvironments(ENVIRONMENT_INPUTS).workloads.find((candidate) => candidate.name === name);
  if (!env) throw new Error(`no workload environment named ${name}`);
  return serviceQuota(env);
}

const TEXT = {
  en: {
    sources: { "system nodes": "system nodes", "session host": "session host", "Karpenter web pool": "Karpenter web pool", Batch: "Batch" },
    quotaHeader: ["environment", "region", "On-Demand vCPUs", "Spot vCPUs", "On-Demand, from", "Spot, from"],
    timeHeader: ["stack", "first apply", "in"],
    timeWhere: (step: string) => step,
    costHeader: ["environment", "stacks", "applies, in all", "fixed cost per hour, once built", "the build day (24 h at full size)", "fixed cost per month"],
    all: "all, one after another",
    minutes: ([low, high]: readonly [number, number]) => (low === high ? `${low} min` : `${low}–${high} min`),
  },
  "pt-BR": {
    sources: { "system nodes": "nós de sistema", "session host": "host de sessão", "Karpenter web pool": "pool web do Karpenter", Batch: "Batch" },
    quotaHeader: ["ambiente", "região", "vCPUs On-Demand", "vCPUs Spot", "On-Demand, de onde vêm", "Spot, de onde vêm"],
    timeHeader: ["stack", "primeiro apply", "em"],
    timeWhere: (step: string) => step.replace("Step", "Passo"),
    costHeader: ["ambiente", "stacks", "applies, ao todo", "custo fixo por hora, depois de pronto", "o dia da construção (24 h no tamanho final)", "custo fixo por mês"],
    all: "todos, um depois do outro",
    minutes: ([low, high]: readonly [number, number]) => (low === high ? `${low} min` : `${low}–${high} min`),
  },
} as const;

/** Where each stack is first applied in the guide. */
const WHERE: Record<"tooling" | "workload", Record<string, string>> = {
  tooling: { state: "Step 0f", identity: "Step 0g", network: "Step 0h", security: "Step 0i", atlantis: "Step 0k", peering: "Step 0l" },
  workload: { state: "Step 1", identity: "Step 2", network: "Step 3", security: "Step 4", data: "Step 5", cluster: "Step 6", platform: "Step 7", pipeline: "Step 8", apps: "Step 9" },
};

const sumMinutes = (durations: Readonly<Record<string, readonly [number, number]>>): [number, number] =>
  Object.values(durations).reduce<[number, number]>(([low, high], [l, h]) => [low + l, high + h], [0, 0]);

const number = (value: number, language: GuideLanguage) => value.toLocaleString(language === "en" ? "en-US" : "pt-BR");
const usd = (value: number, language: GuideLanguage) =>
  `US$ ${value.toLocaleString(language === "en" ? "en-US" : "pt-BR", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** Every generated table of the provisioning guide in `language`, by section. */
export function renderProvisioningTables(
  loaded: LoadedEnvironments,
  costs: readonly EnvironmentCost[],
  language: GuideLanguage,
): Record<ProvisioningTableSection, string> {
  const text = TEXT[language];
  const sourceList = (sources: readonly VcpuSource[]) =>
    sources.map((entry) => `${text.sources[entry.source]} (${language === "en" ? entry.detail : entry.detail.replace("CPU limit", "limite de CPU")})`).join(" + ");
  const timeRows = (["tooling", "workload"] as const).flatMap((kind) =>
    Object.entries(APPLY_MINUTES[kind]).map(([layer, minutes]) => [`\`${kind === "tooling" ? "tooling" : "<env>"}-${layer}\``, text.minutes(minutes), text.timeWhere(WHERE[kind][layer])]),
  );
  const environments = [...(loaded.tooling ? [loaded.tooling] : []), ...loaded.workloads];
  const costOf = (name: string) => {
    const cost = costs.find((candidate) => candidate.environment === name);
    if (!cost) throw new Error(`the cost model has no figure for ${name}`);
    return cost;
  };
  const costRow = (name: string, kind: "tooling" | "workload") => {
    const fixed = costOf(name).fixedMonthlyUsd;
    return [name, Object.keys(APPLY_MINUTES[kind]).length, text.minutes(sumMinutes(APPLY_MINUTES[kind])), usd(fixed / HOURS_PER_MONTH, language), usd((fixed / HOURS_PER_MONTH) * 24, language), usd(fixed, language)];
  };
  const rows = environments.map((env) => costRow(env.name, env.kind));
  const totalMinutes = environments.map((env) => sumMinutes(APPLY_MINUTES[env.kind])).reduce<[number, number]>(([a, b], [c, d]) => [a + c, b + d], [0, 0]);
  const totalFixed = environments.reduce((sum, env) => sum + costOf(env.name).fixedMonthlyUsd, 0);
  const stackCount = environments.reduce((sum, env) => sum + Object.keys(APPLY_MINUTES[env.kind]).length, 0);
  return {
    "first-build-time": markdownTable(text.timeHeader, timeRows),
    "first-build-cost": markdownTable(text.costHeader, [
      ...rows,
      [text.all, stackCount, text.minutes(totalMinutes), usd(totalFixed / HOURS_PER_MONTH, language), usd((totalFixed / HOURS_PER_MONTH) * 24, language), usd(totalFixed, language)],
    ]),
    quotas: markdownTable(
      text.quotaHeader,
      loaded.workloads.map((env) => {
        const quota = serviceQuota(env);
        return [env.name, env.region, number(quota.onDemandVcpus, language), number(quota.spotVcpus, language), sourceList(quota.onDemand), sourceList(quota.spot)];
      }),
    ),
  };
}
