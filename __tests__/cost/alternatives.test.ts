import { AUTO_MODE_PRICE_LOOKED, ZERO_ETL_SERVERLESS_BASE_RPUS, auroraOffers, environmentAlternatives } from "../../modules/cost/alternatives";
import { fixedCost } from "../../modules/cost/cost-model";
import { environmentStacks } from "../../modules/cost/cost-report";
import { HOURS_PER_MONTH, priceOf } from "../../modules/cost/price-list";
import { RDS_CLASS_VCPUS, cpuQuantity } from "../../modules/cost/resource-pricing";
import { ENVIRONMENTS, TOOLING, environment } from "../helpers/environments";
import { globalSynthesisDir } from "../helpers/synth";

// Three decisions priced against their alternatives (modules/cost/alternatives.ts): our side is the cost model's own
// lines, the alternative is priced from the configuration and the price list, and what cannot be priced says why.

const stacksOf = (name: string) => environmentStacks(globalSynthesisDir(), name);
const price = (item: string) => priceOf("sa-east-1", item).usd;
const sum = (lines: readonly { monthlyUsd: number }[]) => lines.reduce((total, entry) => total + entry.monthlyUsd, 0);

describe.each(ENVIRONMENTS.map((env) => [env.name, env] as const))("%s's decisions against their alternatives", (name, env) => {
  const alternatives = environmentAlternatives(env, stacksOf(name));
  const of = (decision: string) => alternatives.find((entry) => entry.decision === decision)!;
  const fixed = fixedCost(env, stacksOf(name));
  const modelLines = (...types: string[]) => fixed.filter((entry) => types.some((type) => entry.address.startsWith(`${type}.`)));

  it("prices the three decisions, each of our sides with the cost model's own lines", () => {
    expect(alternatives.map((entry) => entry.decision)).toEqual(["postgres", "warehouse", "nodes"]);
    expect(of("postgres").ours.lines).toEqual(modelLines("aws_db_instance", "aws_db_proxy"));
    expect(of("warehouse").ours.lines).toEqual(modelLines("aws_redshift_cluster"));
    expect(of("nodes").ours.lines).toEqual(modelLines("aws_eks_node_group", "kubernetes_horizontal_pod_autoscaler_v2"));
    for (const entry of alternatives) {
      expect(entry.ours.monthlyUsd).toBeCloseTo(sum(entry.ours.lines), 8);
      if (entry.alternative) expect(entry.alternative.monthlyUsd).toBeCloseTo(sum(entry.alternative.lines), 8);
      expect([entry.decision, entry.alternative === undefined, entry.unpriced === undefined]).toEqual([entry.decision, entry.unpriced !== undefined, entry.alternative !== undefined]);
    }
  });

  it("prices Aurora on the configured class: a writer, and a reader when Multi-AZ; storage; the proxy per vCPU of every instance", () => {
    const { instanceClass, multiAz, allocatedStorageGiB, performanceInsightsRetentionDays } = env.data.postgres;
    const entry = of("postgres");
    if (!auroraOffers(instanceClass)) {
      expect(entry.unpriced).toEqual({ kind: "class-not-offered", instanceClass });
      return;
    }
    const instances = multiAz ? 2 : 1;
    const vcpus = RDS_CLASS_VCPUS[instanceClass] * instances;
    const months = Math.round(performanceInsightsRetentionDays / 31);
    const insights = performanceInsightsRetentionDays > 7 ? vcpus * (price("rds:performance-insights-first-month:vcpu-month") + (months - 1) * price("rds:performance-insights-additional-month:vcpu-month")) : 0;
    const expected =
      instances * price(`aurora-postgresql:${instanceClass}`) * HOURS_PER_MONTH + allocatedStorageGiB * price("aurora:storage-standard") + vcpus * price("rds:proxy:vcpu-hour") * HOURS_PER_MONTH + insights;
    expect(entry.alternative!.monthlyUsd).toBeCloseTo(expected, 6);
  });

  it("prices Redshift Serverless at its base capacity every hour, against the configured cluster", () => {
    const { nodeType, numberOfNodes } = env.data.redshift;
    expect(of("warehouse").ours.monthlyUsd).toBeCloseTo(numberOfNodes * price(`redshift:${nodeType}`) * HOURS_PER_MONTH, 6);
    expect(of("warehouse").alternative!.monthlyUsd).toBeCloseTo(ZERO_ETL_SERVERLESS_BASE_RPUS * price("redshift-serverless:rpu-hour") * HOURS_PER_MONTH, 6);
  });

  it("leaves EKS Auto Mode unpriced, saying where its fee was looked for, and counts the instance-hours it would manage", () => {
    expect(of("nodes").alternative).toBeUndefined();
    expect(of("nodes").unpriced).toEqual({ kind: "no-price-data", looked: AUTO_MODE_PRICE_LOOKED });
    // The system nodes, and the web pods' minimum on m6i.large (2 vCPUs), as the cost model prices them.
    const webVcpus = [env.apps.api, env.apps.frontend].reduce((total, app) => total + app.minReplicas * cpuQuantity(app.requests.cpu), 0);
    expect(of("nodes").managedInstanceHours).toBeCloseTo(env.cluster.systemNodes.desiredSize * HOURS_PER_MONTH + (webVcpus * HOURS_PER_MONTH) / 2, 6);
  });
});

describe("the alternatives' inputs", () => {
  const prod = environment("prod");
  const withDatabase = (change: (instance: Record<string, unknown>) => void) => {
    const stacks = structuredClone(stacksOf("prod"));
    for (const instance of Object.values(stacks["prod-data"].resource.aws_db_instance) as Record<string, unknown>[]) change(instance);
    return stacks;
  };

  it("knows which classes Aurora PostgreSQL offers: no general-purpose M classes, burstable only up to large", () => {
    expect(["db.r6g.xlarge", "db.t4g.medium", "db.t4g.large", "db.x2g.large"].map(auroraOffers)).toEqual([true, true, true, true]);
    expect(["db.m6g.large", "db.m7g.xlarge", "db.t4g.xlarge"].map(auroraOffers)).toEqual([false, false, false]);
  });

  it("refuses an instance class it does not know, naming it and where to add it", () => {
    expect(() => environmentAlternatives(prod, withDatabase((instance) => (instance.instance_class = "db.x9.huge")))).toThrow(
      "the cost model does not know the vCPUs of db.x9.huge: add it to RDS_CLASS_VCPUS (modules/cost/resource-pricing.ts)",
    );
  });

  it("refuses a class Aurora offers but the price list lacks, naming the price", () => {
    withKnownClass("db.r6g.2xlarge", 8, () => {
      expect(() => environmentAlternatives(prod, withDatabase((instance) => (instance.instance_class = "db.r6g.2xlarge")))).toThrow(
        "the cost model has no price for aurora-postgresql:db.r6g.2xlarge in sa-east-1",
      );
    });
  });

  it("refuses an environment without its data or cluster stack, or a data stack without a database or a warehouse", () => {
    const without = (stack: string) => Object.fromEntries(Object.entries(stacksOf("prod")).filter(([name]) => name !== stack));
    const withoutData = without("prod-data");
    expect(() => environmentAlternatives(prod, withoutData)).toThrow("prod: the alternatives need the prod-data stack");
    const withoutCluster = without("prod-cluster");
    expect(() => environmentAlternatives(prod, withoutCluster)).toThrow("prod: the alternatives need the prod-cluster stack");
    const noDatabase = structuredClone(stacksOf("prod"));
    delete noDatabase["prod-data"].resource.aws_db_instance;
    expect(() => environmentAlternatives(prod, noDatabase)).toThrow("prod-data has no aws_db_instance: nothing to compare Aurora with");
    const noWarehouse = structuredClone(stacksOf("prod"));
    delete noWarehouse["prod-data"].resource.aws_redshift_cluster;
    expect(() => environmentAlternatives(prod, noWarehouse)).toThrow("prod-data has no aws_redshift_cluster: nothing to compare Redshift Serverless with");
  });

  it("refuses a region it has no prices for", () => {
    expect(() => environmentAlternatives({ ...prod, region: "eu-west-3" as const }, stacksOf("prod"))).toThrow("the cost model has no prices for region eu-west-3");
  });

  it("has nothing to compare in the tooling account", () => {
    expect(environmentAlternatives(TOOLING, stacksOf(TOOLING.name))).toEqual([]);
  });
});

/** Runs `body` with `instanceClass` known to have `vcpus`, then forgets it. */
function withKnownClass(instanceClass: string, vcpus: number, body: () => void): void {
  const table = RDS_CLASS_VCPUS as Record<string, number>;
  table[instanceClass] = vcpus;
  try {
    body();
  } finally {
    delete table[instanceClass];
  }
}
