import type { AnyEnvironmentConfig, EnvironmentConfig } from "../../environments";
import { INSTANCE_FAMILIES, planInstanceVolume } from "../pipeline/instance-families";
import { HOURS_PER_MONTH, SPOT_DISCOUNT, priceOf } from "./price-list";
import { CostLine, RESOURCE_PRICING, line } from "./resource-pricing";

/**
 * The monthly cost model of an environment, from its synthesized stacks and its configuration (`npm run cost`,
 * docs/cost.md): the fixed cost of what runs whether or not anyone analyses anything, resource by resource, the cost
 * of one nominal analysis (its `cost` settings: samples, files, run times), and the month at the nominal load.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** vCPUs of a 4xlarge: the size the model prices compute and root volumes by. */
const STANDARD_VCPUS_PER_INSTANCE = 16;

/** One environment's synthesized stacks: the Terraform JSON of each, by stack name. */
export type SynthesizedStacks = Readonly<Record<string, Json>>;

/** One item of an analysis's bill. */
export interface AnalysisLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitUsd: number;
  readonly usd: number;
}

/** What one nominal analysis costs. */
export interface AnalysisCost {
  readonly samples: number;
  readonly filesPerSample: number;
  readonly lines: readonly AnalysisLine[];
  readonly usd: number;
}

/** One environment's month. */
export interface EnvironmentCost {
  readonly environment: string;
  readonly region: string;
  /** Every fixed line: the stacks' resources, then the usage the environment's configuration assumes. */
  readonly fixed: readonly CostLine[];
  readonly fixedMonthlyUsd: number;
  /** One nominal analysis (workload environments). */
  readonly analysis?: AnalysisCost;
  readonly analysesPerMonth: number;
  readonly variableMonthlyUsd: number;
  readonly totalMonthlyUsd: number;
}

/** Resource types of `stacks` the model does not know: each must be priced, or listed free or usage-only with a reason. */
export function unpricedResourceTypes(stacks: SynthesizedStacks): string[] {
  const types = new Set(Object.values(stacks).flatMap((json) => Object.keys(json.resource ?? {})));
  return [...types].filter((type) => !(type in RESOURCE_PRICING)).sort();
}

/** The fixed monthly lines of an environment: each fixed-priced resource of each stack, and the assumed log ingestion. */
export function fixedCost(env: AnyEnvironmentConfig, stacks: SynthesizedStacks): CostLine[] {
  const unpriced = unpricedResourceTypes(stacks);
  if (unpriced.length > 0) throw new Error(`the cost model does not price ${unpriced.join(", ")}: add them to RESOURCE_PRICING (modules/cost/resource-pricing.ts)`);
  const lines: CostLine[] = [];
  for (const [stack, json] of Object.entries(stacks).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [type, resources] of Object.entries(json.resource ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      const pricing = RESOURCE_PRICING[type];
      if (pricing.kind !== "fixed") continue;
      for (const [name, resource] of Object.entries(resources as Record<string, Json>)) {
        lines.push(...pricing.lines({ env, stack, json, address: `${type}.${name}`, resource }));
      }
    }
  }
  lines.push(line({ env, stack: env.name, address: "(assumption)" }, `${env.cost.logIngestionGiBPerMonth} GB of CloudWatch Logs ingested (cost.logIngestionGiBPerMonth)`, "cloudwatch:logs-ingestion-gb", env.cost.logIngestionGiBPerMonth));
  return lines;
}

/**
 * On-Demand price of one vCPU-hour on the instance types the pipeline lists: the mean, over the listed families, of
 * the family's 4xlarge price / its 16 vCPUs (On-Demand prices are proportional to size within these families).
 */
export function onDemandVcpuHourUsd(env: EnvironmentConfig): number {
  const families = [...new Set(env.pipeline.instanceTypes.map((entry) => entry.split(".")[0]))];
  const perVcpu = families.map((family) => {
    if (!(family in INSTANCE_FAMILIES)) throw new Error(`the cost model does not know the instance family ${family}`);
    return priceOf(env.region, `ec2:${family}.4xlarge`).usd / STANDARD_VCPUS_PER_INSTANCE;
  });
  return perVcpu.reduce((sum, value) => sum + value, 0) / perVcpu.length;
}


/** States of a definition and of its Map processors: the transitions one pass through it makes, at most. */
function stateCount(states: Record<string, Json>): number {
  return Object.values(states).length;
}

/** One nominal analysis of the environment (its `cost` settings), priced from the pipeline stack's definitions. */
export function analysisCost(env: EnvironmentConfig, pipelineStack: Json): AnalysisCost {
  const { samplesPerAnalysis: samples, filesPerSample, identifyMinutesPerFile, aggregateMinutesPerSample, publishMinutesPerAnalysis, fileSizeMiB, storageMonths, spotShare } = env.cost;
  const files = samples * filesPerSample;
  const { identify, aggregate, publishMetrics } = env.pipeline.jobs;
  const onDemand = onDemandVcpuHourUsd(env);
  const identifyRate = onDemand * (spotShare * (1 - SPOT_DISCOUNT) + (1 - spotShare));
  const identifyVcpuHours = (files * identify.vcpus * identifyMinutesPerFile) / 60;
  const aggregateVcpuHours = (samples * aggregate.vcpus * aggregateMinutesPerSample) / 60;
  const publishVcpuHours = (publishMetrics.vcpus * publishMinutesPerAnalysis) / 60;
  const instanceHours = (identifyVcpuHours + aggregateVcpuHours + publishVcpuHours) / STANDARD_VCPUS_PER_INSTANCE;
  const volumeGiB = planInstanceVolume(env.pipeline.instanceTypes, env.pipeline.jobs).volumeGiB;

  const machine = Object.values(pipelineStack.resource?.aws_sfn_state_machine ?? {}).find((candidate) => (candidate as Json).name === `${env.project}-${env.name}-analysis`) as Json;
  if (!machine) throw new Error(`${env.name}: no analysis state machine in the pipeline stack`);
  const definition = JSON.parse(machine.definition);
  const processor = Object.values(definition.States as Record<string, Json>).find((state) => state.Type === "Map")?.ItemProcessor;
  const transitions = stateCount(definition.States) + samples * (processor ? stateCount(processor.States) : 0);

  const price = (key: string) => priceOf(env.region, key);
  const item = (name: string, quantity: number, unit: string, unitUsd: number): AnalysisLine => ({ item: name, quantity, unit, unitUsd, usd: quantity * unitUsd });
  const ebs = price("ebs:gp3");
  const s3Storage = price("s3:standard-gb-month");
  const lines = [
    item(`identify: ${files.toLocaleString("en-US")} files × ${identify.vcpus} vCPUs × ${identifyMinutesPerFile} min, ${Math.round(spotShare * 100)}% on Spot`, identifyVcpuHours, "vCPU-hour", identifyRate),
    item(`aggregate: ${samples} samples × ${aggregate.vcpus} vCPUs × ${aggregateMinutesPerSample} min, On-Demand`, aggregateVcpuHours, "vCPU-hour", onDemand),
    item(`publish metrics: ${publishMetrics.vcpus} vCPU × ${publishMinutesPerAnalysis} min, On-Demand`, publishVcpuHours, "vCPU-hour", onDemand),
    item(`instances' ${volumeGiB} GiB root volumes while they run (${STANDARD_VCPUS_PER_INSTANCE} vCPUs per instance)`, (instanceHours * volumeGiB) / HOURS_PER_MONTH, ebs.unit, ebs.usd),
    item(`Step Functions: the analysis and one child execution per sample`, transitions / 1000, price("step-functions:1000-transitions").unit, price("step-functions:1000-transitions").usd),
    item(`S3: ${files.toLocaleString("en-US")} files × ${fileSizeMiB} MiB kept ${storageMonths} months`, ((files * fileSizeMiB) / 1024) * storageMonths, s3Storage.unit, s3Storage.usd),
    item("S3 PUT: each upload and each result", (2 * files) / 1000, price("s3:put-1000").unit, price("s3:put-1000").usd),
    item("S3 GET: each file read by identify, each result by aggregate", (2 * files) / 1000, price("s3:get-1000").unit, price("s3:get-1000").usd),
  ];
  return { samples, filesPerSample, lines, usd: lines.reduce((sum, entry) => sum + entry.usd, 0) };
}

/** An environment's month: fixed lines, one nominal analysis and the total at its nominal load. */
export function environmentCost(env: AnyEnvironmentConfig, stacks: SynthesizedStacks): EnvironmentCost {
  const fixed = fixedCost(env, stacks);
  const fixedMonthlyUsd = fixed.reduce((sum, entry) => sum + entry.monthlyUsd, 0);
  if (env.kind === "tooling") {
    return { environment: env.name, region: env.region, fixed, fixedMonthlyUsd, analysesPerMonth: 0, variableMonthlyUsd: 0, totalMonthlyUsd: fixedMonthlyUsd };
  }
  const pipeline = stacks[`${env.name}-pipeline`];
  if (!pipeline) throw new Error(`${env.name}: the cost model needs the ${env.name}-pipeline stack`);
  const analysis = analysisCost(env, pipeline);
  const variableMonthlyUsd = analysis.usd * env.cost.analysesPerMonth;
  return { environment: env.name, region: env.region, fixed, fixedMonthlyUsd, analysis, analysesPerMonth: env.cost.analysesPerMonth, variableMonthlyUsd, totalMonthlyUsd: fixedMonthlyUsd + variableMonthlyUsd };
}
