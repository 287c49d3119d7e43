import * as fs from "node:fs";
import * as path from "node:path";
import { environmentAlternatives } from "../../modules/cost/alternatives";
import { analysisCost, environmentCost, fixedCost, onDemandVcpuHourUsd, unpricedResourceTypes } from "../../modules/cost/cost-model";
import { environmentStacks, renderCostDocument, renderCostSlideTable, withCostSlideTable } from "../../modules/cost/cost-report";
import { HOURS_PER_MONTH, SPOT_DISCOUNT, priceOf } from "../../modules/cost/price-list";
import { RESOURCE_PRICING, cpuQuantity } from "../../modules/cost/resource-pricing";
import { ENVIRONMENTS, TOOLING, environment } from "../helpers/environments";
import { globalSynthesisDir } from "../helpers/synth";

// The cost model prices the synthesized stacks: every resource type is priced or says why not, the lines are the
// price times the quantity the stacks and the configuration give, and docs/cost.md is what `npm run cost` writes.

const ROOT = path.join(__dirname, "..", "..");
const ALL = [...ENVIRONMENTS, TOOLING];
const stacksOf = (name: string) => environmentStacks(globalSynthesisDir(), name);
const price = (region: string, item: string) => priceOf(region, item).usd;

describe("the cost model", () => {
  it.each(ALL.map((env) => [env.name]))("prices every resource type of %s's stacks, or lists it free or usage-only with a reason", (name) => {
    const stacks = stacksOf(name);
    expect(Object.keys(stacks).length).toBeGreaterThan(0);
    expect(unpricedResourceTypes(stacks)).toEqual([]);
  });

  it("gives a reason for every type it does not price", () => {
    for (const [type, pricing] of Object.entries(RESOURCE_PRICING)) {
      if (pricing.kind !== "fixed") expect([type, pricing.reason.length > 15]).toEqual([type, true]);
    }
  });

  it("refuses a stack with a resource type it does not know, naming it", () => {
    const stacks = { "dev-x": { resource: { aws_quantum_computer: { q: {} }, aws_kms_key: { k: {} } } } };
    expect(() => fixedCost(environment("dev"), stacks)).toThrow("the cost model does not price aws_quantum_computer: add them to RESOURCE_PRICING (modules/cost/resource-pricing.ts)");
  });

  it("refuses a region or an item it has no price for, naming both", () => {
    expect(() => priceOf("eu-west-3", "nat-gateway:hour")).toThrow("the cost model has no prices for region eu-west-3 (item nat-gateway:hour): add modules/cost/prices-eu-west-3.ts");
    expect(() => priceOf("sa-east-1", "ec2:x9.huge")).toThrow("the cost model has no price for ec2:x9.huge in sa-east-1: add it to modules/cost/prices-sa-east-1.ts");
    const moved = { ...environment("dev"), region: "eu-west-3" as const };
    expect(() => fixedCost(moved, { "dev-x": { resource: { aws_nat_gateway: { n: {} } } } })).toThrow("no prices for region eu-west-3 (item nat-gateway:hour)");
  });

  it("reads Kubernetes CPU quantities, and refuses what is not one", () => {
    expect([cpuQuantity("250m"), cpuQuantity("1"), cpuQuantity("1.5")]).toEqual([0.25, 1, 1.5]);
    expect(() => cpuQuantity("1 core")).toThrow("not a Kubernetes CPU quantity: 1 core");
  });

  it("refuses a compute environment that keeps vCPUs running, which it would otherwise miss", () => {
    const stacks = { "dev-pipeline": { resource: { aws_batch_compute_environment: { ce: { compute_resources: { min_vcpus: 8 } } } } } };
    expect(() => fixedCost(environment("dev"), stacks)).toThrow("dev-pipeline aws_batch_compute_environment.ce keeps 8 vCPUs running");
  });
});

describe.each(ALL.map((env) => [env.name, env] as const))("%s's fixed month", (name, env) => {
  const lines = fixedCost(env, stacksOf(name));
  const of = (prefix: string) => lines.filter((entry) => entry.address.startsWith(prefix));

  it("is each line's quantity times its price, summed", () => {
    for (const entry of lines) expect(entry.monthlyUsd).toBeCloseTo(entry.quantity * entry.unitUsd, 10);
    expect(environmentCost(env, stacksOf(name)).fixedMonthlyUsd).toBeCloseTo(lines.reduce((sum, entry) => sum + entry.monthlyUsd, 0), 8);
  });

  it("bills a NAT gateway, an address and an interface endpoint per zone for every hour of the month", () => {
    const zones = env.network.availabilityZones.length;
    const nats = env.network.natGateways === "single" ? 1 : zones;
    expect(of("aws_nat_gateway.").map((entry) => entry.quantity)).toEqual(Array(nats).fill(HOURS_PER_MONTH));
    expect(of("aws_nat_gateway.")[0].monthlyUsd).toBeCloseTo(730 * price(env.region, "nat-gateway:hour"), 8);
    const interfaces = of("aws_vpc_endpoint.");
    expect(interfaces.length).toBe(env.network.interfaceEndpoints.length);
    for (const entry of interfaces) expect(entry.quantity).toBe(730 * zones);
  });

  it("bills the KMS keys, alarms and secrets one month each, and the assumed log ingestion", () => {
    const keys = Object.values(stacksOf(name)).reduce((sum, json) => sum + Object.keys(json.resource?.aws_kms_key ?? {}).length, 0);
    expect(of("aws_kms_key.").length).toBe(keys);
    expect(of("aws_kms_key.").every((entry) => entry.quantity === 1 && entry.unitUsd === price(env.region, "kms:key-month"))).toBe(true);
    expect(of("(assumption)").map((entry) => entry.monthlyUsd)).toEqual([env.cost.logIngestionGiBPerMonth * price(env.region, "cloudwatch:logs-ingestion-gb")]);
  });
});

describe.each(ENVIRONMENTS.map((env) => [env.name, env] as const))("%s's data and compute lines", (name, env) => {
  const lines = fixedCost(env, stacksOf(name));
  const postgres = env.data.postgres;

  it("bills the database's instance for every hour, Multi-AZ where configured, its storage and the proxy per vCPU", () => {
    const deployment = postgres.multiAz ? "multi-az" : "single-az";
    const instance = lines.find((entry) => entry.address.startsWith("aws_db_instance.") && entry.unit.includes("hour"))!;
    expect(instance.monthlyUsd).toBeCloseTo(730 * price(env.region, `rds:${postgres.instanceClass}:${deployment}`), 8);
    const storage = lines.find((entry) => entry.item.includes("GiB gp3 storage"))!;
    expect(storage.quantity).toBe(postgres.allocatedStorageGiB);
    const proxy = lines.find((entry) => entry.address.startsWith("aws_db_proxy."))!;
    expect(proxy.monthlyUsd / (730 * price(env.region, "rds:proxy:vcpu-hour"))).toBeGreaterThanOrEqual(2);
  });

  it("bills every Redshift node for every hour (a zero-ETL target is never paused)", () => {
    const redshift = lines.find((entry) => entry.address.startsWith("aws_redshift_cluster."))!;
    expect(redshift.quantity).toBe(env.data.redshift.numberOfNodes * 730);
    expect(redshift.unitUsd).toBe(price(env.region, `redshift:${env.data.redshift.nodeType}`));
  });

  it("bills the API's and the front-end's minimum replicas at the CPU they request, all month", () => {
    const web = lines.filter((entry) => entry.address.startsWith("kubernetes_horizontal_pod_autoscaler_v2."));
    const expected = [env.apps.api, env.apps.frontend].map((app) => app.minReplicas * cpuQuantity(app.requests.cpu) * 730).sort();
    expect(web.map((entry) => entry.quantity).sort()).toEqual(expected);
    for (const entry of web) expect(entry.unitUsd).toBe(price(env.region, "ec2:m6i.large") / 2);
  });

  it("bills the system nodes at the configured count and type", () => {
    const nodes = lines.find((entry) => entry.address.startsWith("aws_eks_node_group.") && entry.unit.includes("hour"))!;
    expect(nodes.quantity).toBe(env.cluster.systemNodes.desiredSize * 730);
    expect(nodes.unitUsd).toBe(price(env.region, `ec2:${env.cluster.systemNodes.instanceTypes[0]}`));
  });

  it("prices one nominal analysis from its files, run times, Spot share and the listed instance families", () => {
    const analysis = analysisCost(env, stacksOf(name)[`${name}-pipeline`]);
    const { samplesPerAnalysis, filesPerSample, identifyMinutesPerFile, spotShare } = env.cost;
    const identify = analysis.lines[0];
    expect(identify.quantity).toBeCloseTo((samplesPerAnalysis * filesPerSample * env.pipeline.jobs.identify.vcpus * identifyMinutesPerFile) / 60, 8);
    expect(identify.unitUsd).toBeCloseTo(onDemandVcpuHourUsd(env) * (spotShare * (1 - SPOT_DISCOUNT) + 1 - spotShare), 10);
    expect(analysis.usd).toBeCloseTo(analysis.lines.reduce((sum, entry) => sum + entry.usd, 0), 10);
    const month = environmentCost(env, stacksOf(name));
    expect(month.totalMonthlyUsd).toBeCloseTo(month.fixedMonthlyUsd + env.cost.analysesPerMonth * analysis.usd, 8);
  });
});

describe("docs/cost.md", () => {
  const costs = [...ENVIRONMENTS, TOOLING].map((env) => environmentCost(env, stacksOf(env.name)));
  const types = [...new Set(costs.flatMap((cost) => Object.values(stacksOf(cost.environment)).flatMap((json) => Object.keys(json.resource ?? {}))))];
  const alternatives = [...ENVIRONMENTS, TOOLING].flatMap((env) => environmentAlternatives(env, stacksOf(env.name)));

  it.each([
    ["en", "docs/cost.md"],
    ["pt-BR", "docs/pt-BR/cost.md"],
  ] as const)("is what the model renders in %s (run `npm run generate` and commit when this fails)", (language, file) => {
    expect(fs.readFileSync(path.join(ROOT, file), "utf8")).toBe(renderCostDocument(costs, types, language, alternatives));
  });

  it("has a row for every environment, and the tooling account has no variable cost", () => {
    const document = fs.readFileSync(path.join(ROOT, "docs/cost.md"), "utf8");
    for (const env of [...ENVIRONMENTS, TOOLING]) expect(document).toContain(`\n| ${env.name} | US$ `);
    const tooling = costs.find((cost) => cost.environment === TOOLING.name)!;
    expect([tooling.analysis, tooling.variableMonthlyUsd, tooling.totalMonthlyUsd]).toEqual([undefined, 0, tooling.fixedMonthlyUsd]);
  });
});

describe("the presentations' cost slide", () => {
  const costs = [...ENVIRONMENTS, TOOLING].map((env) => environmentCost(env, stacksOf(env.name)));

  it.each([
    ["en", "docs/presentation/slides.md"],
    ["pt-BR", "docs/pt-BR/presentation/slides.md"],
  ] as const)("shows the model's figures in %s (run `npm run generate` and commit when this fails)", (language, file) => {
    const deck = fs.readFileSync(path.join(ROOT, file), "utf8");
    expect(deck).toBe(withCostSlideTable(deck, renderCostSlideTable(costs, language)));
    expect(deck).toContain(renderCostSlideTable(costs, language));
  });

  it("is refused from a deck without the cost table's markers", () => {
    expect(() => withCostSlideTable("## What it costs\n", "| x |")).toThrow(
      "the presentation has no cost table: add [//]: # (generated: cost summary, npm run cost) … [//]: # (end generated) to its cost slide",
    );
  });
});
