import type { LoadedEnvironments } from "../../environments";
import { planInstanceVolume } from "../pipeline/instance-families";
import { subnetCidrs } from "../../stacks/peering";
import { SubnetTier } from "../network/subnet-plan";
import { markdownTable } from "./markdown-table";

/**
 * The per-environment tables of docs/architecture.md, rendered from the validated configuration, so that a document
 * never states a fact about an environment that its file does not (`npm run docs:environments`, part of
 * `npm run generate`; a test fails when the committed document drifts). Each table sits between a start marker,
 * `<!-- generated: <section> (npm run docs:environments) -->`, and `<!-- end generated -->`.
 */

/** The sections the architecture document holds, in the order they appear. */
export const ENVIRONMENT_TABLE_SECTIONS = ["environments", "network", "data", "capacity", "instance-volume"] as const;
export type EnvironmentTableSection = (typeof ENVIRONMENT_TABLE_SECTIONS)[number];

const thousands = (value: number) => value.toLocaleString("en-US");

/** Every generated table of the architecture document, by section. */
export function renderEnvironmentTables(loaded: LoadedEnvironments): Record<EnvironmentTableSection, string> {
  const { workloads, tooling } = loaded;
  const zone = (availabilityZone: string) => availabilityZone.slice(-1);
  const perZone = (env: (typeof workloads)[number], tier: SubnetTier) =>
    subnetCidrs(env, tier)
      .map((cidr, index) => `${zone(env.network.availabilityZones[index])} ${cidr}`)
      .join(", ");
  return {
    environments: markdownTable(
      ["environment", "tier", "account", "region", "VPC CIDR", "AZs"],
      [...workloads, ...(tooling ? [tooling] : [])].map((env) => [env.name, env.tier, env.awsAccountId, env.region, env.network.vpcCidr, env.network.availabilityZones.length]),
    ),
    network: markdownTable(
      ["environment", "VPC", "private (per zone)", "public (per zone)", "isolated (per zone)", "NAT gateways", "flow log retention"],
      workloads.map((env) => [
        env.name,
        env.network.vpcCidr,
        perZone(env, "private"),
        perZone(env, "public"),
        perZone(env, "isolated"),
        env.network.natGateways === "single" ? `1 (zone ${zone(env.network.availabilityZones[0])})` : `${env.network.availabilityZones.length} (one per zone)`,
        `${env.network.flowLogRetentionDays} days`,
      ]),
    ),
    data: markdownTable(
      ["environment", "RDS class", "storage (initial → max)", "Multi-AZ", "backups", "Performance Insights", "Redshift", "snapshots"],
      workloads.map(({ name, data: { postgres, redshift } }) => [
        name,
        postgres.instanceClass,
        `${thousands(postgres.allocatedStorageGiB)} → ${thousands(postgres.maxAllocatedStorageGiB)} GiB`,
        postgres.multiAz ? "yes" : "no",
        `${postgres.backupRetentionDays} days`,
        `${postgres.performanceInsightsRetentionDays} days`,
        `${redshift.numberOfNodes} × ${redshift.nodeType}`,
        `${redshift.snapshotRetentionDays} day${redshift.snapshotRetentionDays === 1 ? "" : "s"}`,
      ]),
    ),
    capacity: markdownTable(
      ["environment", "Spot vCPUs", "on-demand vCPUs", "files at once (Spot only / all)", "samples at once per analysis", "minutes per file (cost model)", "files per hour"],
      workloads.map(({ name, pipeline, cost }) => {
        const perFile = pipeline.jobs.identify.vcpus;
        const spotFiles = Math.floor(pipeline.spotMaxVcpus / perFile);
        const allFiles = Math.floor((pipeline.spotMaxVcpus + pipeline.onDemandMaxVcpus) / perFile);
        return [
          name,
          thousands(pipeline.spotMaxVcpus),
          thousands(pipeline.onDemandMaxVcpus),
          `${thousands(spotFiles)} / ${thousands(allFiles)}`,
          thousands(pipeline.maxConcurrentSamples),
          thousands(cost.identifyMinutesPerFile),
          thousands(Math.floor((allFiles * 60) / cost.identifyMinutesPerFile)),
        ];
      }),
    ),
    "instance-volume": markdownTable(
      ["environment", "scratch per job (identify / aggregate / publish)", "fullest instance", "root volume"],
      workloads.map(({ name, pipeline }) => {
        const plan = planInstanceVolume(pipeline.instanceTypes, pipeline.jobs);
        const { identify, aggregate, publishMetrics } = pipeline.jobs;
        return [
          name,
          `${identify.scratchGiB} / ${aggregate.scratchGiB} / ${publishMetrics.scratchGiB} GiB`,
          `${plan.jobsPerInstance} ${plan.job} jobs on an ${plan.instance.largest}`,
          `${thousands(plan.volumeGiB)} GiB`,
        ];
      }),
    ),
  };
}

const START = (section: string) => `<!-- generated: ${section} (npm run docs:environments) -->`;
const END = "<!-- end generated -->";

/**
 * `document` with the body of each generated section replaced by `sections`' table. Refuses a document that lacks a
 * section's markers or has a section nobody renders, naming it.
 */
export function withGeneratedSections(document: string, sections: Readonly<Record<string, string>>): string {
  const found = [...document.matchAll(/<!-- generated: ([a-z-]+) \(npm run docs:environments\) -->/g)].map((match) => match[1]);
  const unknown = found.filter((section) => !(section in sections));
  if (unknown.length > 0) throw new Error(`the document has generated sections nobody renders: ${unknown.join(", ")}`);
  let result = document;
  for (const [section, body] of Object.entries(sections)) {
    const start = result.indexOf(START(section));
    const end = start < 0 ? -1 : result.indexOf(END, start);
    if (start < 0 || end < 0) throw new Error(`the document has no generated section "${section}": add ${START(section)} … ${END}`);
    result = `${result.slice(0, start)}${START(section)}\n${body}\n${result.slice(end)}`;
  }
  return result;
}
