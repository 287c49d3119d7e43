import * as fs from "node:fs";
import * as path from "node:path";
import { environmentCost } from "../../modules/cost/cost-model";
import { environmentStacks } from "../../modules/cost/cost-report";
import { HOURS_PER_MONTH } from "../../modules/cost/price-list";
import { withGeneratedSections } from "../../modules/docs/environment-tables";
import {
  APPLY_MINUTES,
  EC2_QUOTAS,
  PROVISIONING_TABLE_SECTIONS,
  STANDARD_FAMILY_LETTERS,
  cpuQuantityVcpus,
  durationPhrase,
  renderProvisioningTables,
  serviceQuota,
  serviceQuotaOf,
  vcpusOfInstanceType,
} from "../../modules/docs/provisioning-tables";
import { ENVIRONMENTS, ENVIRONMENT_NAMES, TOOLING, environment } from "../helpers/environments";
import { globalSynthesisDir } from "../helpers/synth";

// The provisioning guides' quotas and first-build figures come from the configuration and the cost model, through
// `npm run docs:environments`; each step states the apply time the first-build table adds up.

const ROOT = path.join(__dirname, "..", "..");
const GUIDES = { en: "docs/provisioning.md", "pt-BR": "docs/pt-BR/provisioning.md" } as const;
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const ALL = [TOOLING, ...ENVIRONMENTS];
const COSTS = ALL.map((env) => environmentCost(env, environmentStacks(globalSynthesisDir(), env.name)));
const LOADED = { workloads: ENVIRONMENTS, tooling: TOOLING };

describe.each(Object.entries(GUIDES) as ["en" | "pt-BR", string][])("the generated tables of the provisioning guide (%s)", (language, file) => {
  const guide = read(file);
  const tables = renderProvisioningTables(LOADED, COSTS, language);

  it("are the ones the configuration and the cost model render (run `npm run docs:environments` and commit when this fails)", () => {
    for (const section of PROVISIONING_TABLE_SECTIONS) expect(guide).toContain(`<!-- generated: ${section} (npm run docs:environments) -->`);
    expect(guide).toBe(withGeneratedSections(guide, tables));
  });

  it("give each workload environment's quotas, and each environment's fixed cost as the cost model computes it", () => {
    const rows = (section: keyof typeof tables) => tables[section].split("\n").slice(2);
    expect(rows("quotas").map((row) => row.split(" | ")[0].slice(2))).toEqual(ENVIRONMENT_NAMES);
    expect(rows("first-build-cost").slice(0, -1).map((row) => row.split(" | ")[0].slice(2))).toEqual(ALL.map((env) => env.name));
    const locale = language === "en" ? "en-US" : "pt-BR";
    const money = (usd: number) => `US$ ${usd.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    for (const [index, cost] of COSTS.entries()) {
      expect(rows("first-build-cost")[index]).toContain(`| ${money(cost.fixedMonthlyUsd)} |`);
      expect(rows("first-build-cost")[index]).toContain(`| ${money(cost.fixedMonthlyUsd / HOURS_PER_MONTH)} |`);
    }
    for (const [index, env] of ENVIRONMENTS.entries()) {
      const quota = serviceQuota(env);
      expect(rows("quotas")[index]).toContain(`| ${quota.onDemandVcpus.toLocaleString(locale)} |`);
      expect(rows("quotas")[index]).toContain(`| ${quota.spotVcpus.toLocaleString(locale)} |`);
    }
  });

  it("states in each step the apply time the first-build table adds up", () => {
    const parts = guide.split(/^## /m);
    const stepOf = (layer: string) => parts.find((part) => new RegExp(`^(Step|Passo) [1-9] — \`<env>-${layer}\``).test(part));
    const subStepOf = (layer: string) => guide.split(/^### /m).find((part) => new RegExp(`^0[a-z]\\. \`tooling-${layer}\``).test(part));
    for (const [kind, durations] of Object.entries(APPLY_MINUTES)) {
      for (const [layer, minutes] of Object.entries(durations)) {
        const body = kind === "tooling" ? subStepOf(layer) : stepOf(layer);
        expect([kind, layer, body !== undefined]).toEqual([kind, layer, true]);
        const phrase = durationPhrase(minutes, language);
        expect([kind, layer, phrase, body!.toLowerCase().includes(phrase)]).toEqual([kind, layer, phrase, true]);
      }
    }
  });

  it("asks for the quotas the table names, with the figures the configuration gives", () => {
    expect(guide).toContain(`--quota-code ${EC2_QUOTAS.onDemand.code}`);
    expect(guide).toContain(`--quota-code ${EC2_QUOTAS.spot.code}`);
    expect(guide).toContain(`--desired-value "$(quota onDemandVcpus)"`);
    expect(guide).toContain(`--desired-value "$(quota spotVcpus)"`);
  });
});

describe("the EC2 vCPU quotas", () => {
  it("add up the system nodes, the session host, the Karpenter web pool and Batch, each under its capacity types", () => {
    const dev = environment("dev");
    const quota = serviceQuota(dev);
    const web = cpuQuantityVcpus(dev.platform.karpenter.webPool.cpuLimit);
    const systemNodes = dev.cluster.systemNodes.maxSize * Math.max(...dev.cluster.systemNodes.instanceTypes.map(vcpusOfInstanceType));
    const sessionHost = vcpusOfInstanceType(dev.cluster.sessionHost.instanceType);
    const types = dev.platform.karpenter.webPool.capacityTypes;
    expect(quota.onDemandVcpus).toBe(systemNodes + sessionHost + (types.includes("on-demand") ? web : 0) + dev.pipeline.onDemandMaxVcpus);
    expect(quota.spotVcpus).toBe((types.includes("spot") ? web : 0) + dev.pipeline.spotMaxVcpus);
    expect(serviceQuotaOf("dev")).toEqual(quota);
  });

  it("follow the configuration: more Spot vCPUs for Batch, an on-demand-only web pool, bigger system nodes", () => {
    const dev = environment("dev");
    const base = serviceQuota(dev);
    expect(serviceQuota({ ...dev, pipeline: { ...dev.pipeline, spotMaxVcpus: dev.pipeline.spotMaxVcpus + 100 } }).spotVcpus).toBe(base.spotVcpus + 100);
    const web = cpuQuantityVcpus(dev.platform.karpenter.webPool.cpuLimit);
    const onDemandWeb = { ...dev, platform: { ...dev.platform, karpenter: { ...dev.platform.karpenter, webPool: { ...dev.platform.karpenter.webPool, capacityTypes: ["on-demand" as const] } } } };
    expect(serviceQuota(onDemandWeb).spotVcpus).toBe(base.spotVcpus - web);
    const bigger = { ...dev, cluster: { ...dev.cluster, systemNodes: { ...dev.cluster.systemNodes, instanceTypes: ["m6i.4xlarge"] } } };
    expect(serviceQuota(bigger).onDemandVcpus - base.onDemandVcpus).toBe(dev.cluster.systemNodes.maxSize * (16 - 2));
  });

  it("count every instance the platform launches against the standard-family quotas", () => {
    const standard = (type: string) => (STANDARD_FAMILY_LETTERS as readonly string[]).includes(type[0]);
    for (const env of ENVIRONMENTS) {
      const types = [...env.cluster.systemNodes.instanceTypes, env.cluster.sessionHost.instanceType, ...env.pipeline.instanceTypes, ...env.platform.karpenter.webPool.instanceCategories];
      expect([env.name, types.filter((type) => !standard(type))]).toEqual([env.name, []]);
    }
  });

  it("know the vCPUs of an instance size and of a CPU quantity", () => {
    expect(["t4g.micro", "m6i.large", "m5.xlarge", "c7i.24xlarge", "m6g.medium"].map(vcpusOfInstanceType)).toEqual([2, 2, 4, 96, 1]);
    expect(() => vcpusOfInstanceType("m6i.metal")).toThrow("the vCPUs of m6i.metal are unknown");
    expect(["32", "1500m", "0.5"].map(cpuQuantityVcpus)).toEqual([32, 2, 1]);
  });
});

describe("the apply-time phrases", () => {
  it("read as the guides write them", () => {
    expect(durationPhrase([5, 5], "en")).toBe("about 5 minutes");
    expect(durationPhrase([1, 1], "en")).toBe("about a minute");
    expect(durationPhrase([30, 45], "en")).toBe("30 to 45 minutes");
    expect(durationPhrase([1, 1], "pt-BR")).toBe("cerca de um minuto");
    expect(durationPhrase([15, 20], "pt-BR")).toBe("15 a 20 minutos");
  });
});
