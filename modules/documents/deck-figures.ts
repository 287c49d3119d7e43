import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { AnyEnvironmentConfig, EnvironmentConfig, LoadedEnvironments } from "../../environments";
import { AlternativeCost, Decision, ZERO_ETL_SERVERLESS_BASE_RPUS, environmentAlternatives } from "../cost/alternatives";
import { EnvironmentCost, SynthesizedStacks, analysisCost, environmentCost } from "../cost/cost-model";
import { renderCostSlideTable, withCostSlideTable } from "../cost/cost-report";
import { linesOfTypes } from "../cost/resource-pricing";
import { markdownTable } from "../docs/markdown-table";
import { GUARDRAIL_RULES } from "../guardrails/rules";
import { MAX_FILES_PER_SAMPLE, MAX_SAMPLES } from "../pipeline/analysis-contract";
import type { StateMachineDefinition } from "../pipeline/asl";
import { HISTORY_EVENT_LIMIT, worstCaseHistoryEvents } from "../pipeline/execution-history";
import { Measurements } from "./deck-measurements";

/**
 * The presentation's figures. Each deck is written from a template (slides.template.md next to it) whose figures are
 * placeholders, `{{name}}` for one figure and a line `{{table:name}}` for a whole table, filled here from the
 * synthesized stacks, the environments, the cost model, the package manifest, CI and the committed measurements
 * (`npm run bench -- --record`). A test fails when the committed deck is not what `renderDeck` writes, and when a
 * template states a number outside a placeholder.
 */

export type DeckLanguage = "en" | "pt-BR";

/** The date the decks are presented on (YYYY-MM-DD): months are counted up to it. */
export const DECK_DATE = "2026-11-30";

/** What the deck generator reads besides the templates. */
export interface DeckInputs {
  readonly environments: LoadedEnvironments;
  /** Each environment's synthesized stacks (Terraform JSON by stack name), by environment name. */
  readonly stacks: Readonly<Record<string, SynthesizedStacks>>;
  readonly measurements: Measurements;
  /** The repository's root: package.json, the CI workflow and the CDKTF decision record are read from it. */
  readonly root: string;
}

/** Every figure in both languages, and every table. */
export interface DeckFigures {
  readonly values: Readonly<Record<string, Readonly<Record<DeckLanguage, string>>>>;
  readonly tables: Readonly<Record<string, Readonly<Record<DeckLanguage, string>>>>;
  readonly costs: readonly EnvironmentCost[];
}

const LOCALE: Record<DeckLanguage, string> = { en: "en-US", "pt-BR": "pt-BR" };
const both = (format: (language: DeckLanguage) => string) => ({ en: format("en"), "pt-BR": format("pt-BR") });
const num = (value: number, digits = 0) => both((language) => value.toLocaleString(LOCALE[language], { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const usdIn = (value: number, language: DeckLanguage) => `US$ ${Math.round(value).toLocaleString(LOCALE[language])}`;
const usd = (value: number) => both((language) => usdIn(value, language));
const text = (value: string) => ({ en: value, "pt-BR": value });
const list = (values: readonly string[]) => both((language) => new Intl.ListFormat(LOCALE[language], { type: "conjunction" }).format(values));
const date = (iso: string) => both((language) => new Date(`${iso}T12:00:00Z`).toLocaleDateString(LOCALE[language], { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }));
const monthYear = (iso: string) => both((language) => new Date(`${iso}T12:00:00Z`).toLocaleDateString(LOCALE[language], { year: "numeric", month: "long", timeZone: "UTC" }));
const seconds = (ms: number) => both((language) => `${(ms / 1000).toLocaleString(LOCALE[language], { maximumFractionDigits: ms < 10_000 ? 1 : 0 })} s`);
const duration = (ms: number) =>
  ms < 120_000 ? seconds(ms) : both((language) => `${(ms / 60_000).toLocaleString(LOCALE[language], { maximumFractionDigits: 1 })} min`);

/** The sum of an environment's fixed lines whose Terraform address starts with one of `types`. */
function fixedOf(cost: EnvironmentCost, ...types: string[]): number {
  return linesOfTypes(cost.fixed, ...types).reduce((sum, entry) => sum + entry.monthlyUsd, 0);
}

/** Hours an analysis of `files` identification jobs takes with the environment's whole vCPU ceiling busy. */
function identifyHours(env: EnvironmentConfig, files: number): number {
  const atOnce = filesAtOnce(env);
  return Math.ceil(files / atOnce) * (env.cost.identifyMinutesPerFile / 60);
}

function filesAtOnce(env: EnvironmentConfig): number {
  return Math.floor((env.pipeline.spotMaxVcpus + env.pipeline.onDemandMaxVcpus) / env.pipeline.jobs.identify.vcpus);
}

/** Whole months from `from` to `to` (ISO dates). */
export function wholeMonths(from: string, to: string): number {
  const [a, b] = [new Date(`${from}T00:00:00Z`), new Date(`${to}T00:00:00Z`)];
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() - (b.getUTCDate() < a.getUTCDate() ? 1 : 0);
}

/** The date HashiCorp deprecated CDKTF, as the decision record states it. */
export function cdktfDeprecationDate(root: string): string {
  const record = fs.readFileSync(path.join(root, "docs/decisions/0001-cdktf-exit-plan.md"), "utf8");
  const match = record.match(/deprecated the Cloud Development Kit for Terraform on (\d{4}-\d{2}-\d{2})/);
  if (!match) throw new Error("docs/decisions/0001-cdktf-exit-plan.md no longer states when CDKTF was deprecated");
  return match[1];
}

/** The Node.js versions CI tests on (the `check` job's matrix). */
export function ciNodeVersions(root: string): string[] {
  const workflow = parse(fs.readFileSync(path.join(root, ".github/workflows/ci.yml"), "utf8"));
  const versions = Object.values(workflow.jobs as Record<string, { strategy?: { matrix?: { node?: unknown[] } } }>).flatMap((job) => job.strategy?.matrix?.node ?? []);
  if (versions.length === 0) throw new Error(".github/workflows/ci.yml has no node matrix");
  return [...new Set(versions.map(String))];
}

function stateMachine(stack: SynthesizedStacks[string], name: string): StateMachineDefinition {
  const machine = Object.values(stack.resource?.aws_sfn_state_machine ?? {}).find((candidate) => (candidate as { name?: string }).name === name) as { definition: string } | undefined;
  if (!machine) throw new Error(`no state machine ${name}`);
  return JSON.parse(machine.definition);
}

/** One environment's decision, refusing one the alternatives do not price. */
function alternativeOf(alternatives: readonly AlternativeCost[], environment: string, decision: Decision): AlternativeCost {
  const entry = alternatives.find((candidate) => candidate.environment === environment && candidate.decision === decision);
  if (!entry) throw new Error(`${environment}: no ${decision} alternative in the cost model`);
  return entry;
}

/** The alternative's month, or that it has no price (modules/cost/alternatives.ts says why; docs/cost.md shows it). */
function alternativeUsd(entry: AlternativeCost): Record<DeckLanguage, string> {
  if (entry.alternative) return usd(entry.alternative.monthlyUsd);
  const reason = entry.unpriced;
  if (reason?.kind === "class-not-offered") return both((language) => (language === "en" ? `Aurora has no ${reason.instanceClass}` : `o Aurora não tem ${reason.instanceClass}`));
  return both((language) => (language === "en" ? "not priced" : "sem preço"));
}

/** A decision's table: each workload environment's month, ours and the alternative's, and the difference. */
function alternativeTable(alternatives: readonly AlternativeCost[], workloads: readonly EnvironmentConfig[], decision: Decision, header: Record<DeckLanguage, string[]>) {
  return both((language) =>
    markdownTable(
      header[language],
      workloads.map((env) => {
        const entry = alternativeOf(alternatives, env.name, decision);
        const difference = entry.alternative ? entry.alternative.monthlyUsd - entry.ours.monthlyUsd : undefined;
        return [
          env.name,
          usdIn(entry.ours.monthlyUsd, language),
          alternativeUsd(entry)[language],
          difference === undefined ? "—" : `${difference < 0 ? "−" : "+"}${usdIn(Math.abs(difference), language)}`,
        ];
      }),
    ),
  );
}

/**
 * What the decision slides' notes say about the alternatives, checked against the data: Redshift Serverless kept busy
 * costs less than production's cluster and more than each other environment's (all priced alike), and exactly one
 * environment's PostgreSQL class has no Aurora equivalent (the slides name it, in the singular).
 */
export function checkAlternativeClaims(alternatives: readonly AlternativeCost[], prod: EnvironmentConfig, workloads: readonly EnvironmentConfig[]): void {
  const warehouse = (name: string) => alternativeOf(alternatives, name, "warehouse");
  const cheaper = (entry: AlternativeCost) => entry.alternative !== undefined && entry.alternative.monthlyUsd < entry.ours.monthlyUsd;
  if (!cheaper(warehouse(prod.name))) throw new Error(`${prod.name}: Redshift Serverless no longer costs less than the cluster: the decks' warehouse slides say it does`);
  const others = workloads.filter((env) => env !== prod);
  for (const env of others) {
    if (cheaper(warehouse(env.name))) throw new Error(`${env.name}: Redshift Serverless now costs less than the cluster: the decks' warehouse slides say it costs more`);
    if (Math.abs(warehouse(env.name).ours.monthlyUsd - warehouse(others[0].name).ours.monthlyUsd) > 0.005) throw new Error(`${env.name}: its cluster no longer costs what ${others[0].name}'s does: the decks' warehouse slides quote one figure for both`);
  }
  const noAurora = workloads.filter((env) => alternativeOf(alternatives, env.name, "postgres").alternative === undefined).map((env) => env.name);
  if (noAurora.length !== 1) throw new Error(`the decks say exactly one environment's PostgreSQL class has no Aurora equivalent; the data says: ${noAurora.join(", ") || "none"}`);
}

/** The deck's figures. */
export function deckFigures(inputs: DeckInputs): DeckFigures {
  const { environments, stacks, measurements, root } = inputs;
  const workloads = environments.workloads;
  const all: AnyEnvironmentConfig[] = [...workloads, ...(environments.tooling ? [environments.tooling] : [])];
  const prod = workloads.find((env) => env.tier === "production") ?? workloads[workloads.length - 1];
  const costs = all.map((env) => environmentCost(env, stacks[env.name]));
  const costOf = (name: string) => costs.find((cost) => cost.environment === name)!;
  const alternatives = workloads.flatMap((env) => environmentAlternatives(env, stacks[env.name]));
  const prodCost = costOf(prod.name);
  const packageJson = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const stackCount = (env: AnyEnvironmentConfig) => Object.keys(stacks[env.name]).length;
  const perWorkload = [...new Set(workloads.map(stackCount))];
  if (perWorkload.length !== 1) throw new Error(`the workload environments have different numbers of stacks: ${perWorkload.join(", ")}`);

  // The largest analysis the contract allows in samples, at production's nominal files per sample.
  const big = { ...prod, cost: { ...prod.cost, samplesPerAnalysis: MAX_SAMPLES } };
  const bigCost = analysisCost(big, stacks[prod.name][`${prod.name}-pipeline`]);
  const bigFiles = MAX_SAMPLES * prod.cost.filesPerSample;
  const nominalFiles = prod.cost.samplesPerAnalysis * prod.cost.filesPerSample;
  const prefix = `${prod.project}-${prod.name}`;
  const analysis = stateMachine(stacks[prod.name][`${prod.name}-pipeline`], `${prefix}-analysis`);
  const map = Object.values(analysis.States).find((state) => state.Type === "Map");
  if (!map || map.Type !== "Map") throw new Error("the analysis state machine has no Map state");
  const fixedTotal = prodCost.fixedMonthlyUsd;
  // The decks say the warehouse is the largest fixed line in every workload environment: refuse to write them otherwise.
  for (const env of workloads) {
    const byType = new Map<string, number>();
    for (const entry of costOf(env.name).fixed) byType.set(entry.address.split(".")[0], (byType.get(entry.address.split(".")[0]) ?? 0) + entry.monthlyUsd);
    const [largest] = [...byType].sort((a, b) => b[1] - a[1])[0];
    if (largest !== "aws_redshift_cluster") throw new Error(`${env.name}: the largest fixed line is ${largest}, not the Redshift cluster: the decks' warehouse slides say otherwise`);
  }
  // The decks' decision slides compare each choice with its alternative; refuse to write them when the data says otherwise.
  checkAlternativeClaims(alternatives, prod, workloads);
  const redshiftProd = fixedOf(prodCost, "aws_redshift_cluster");
  const nonProd = workloads.filter((env) => env !== prod);
  const deprecated = cdktfDeprecationDate(root);
  const shape = (samples: number, files: number) =>
    both((language) => (language === "en" ? `${samples.toLocaleString("en-US")} samples × ${files.toLocaleString("en-US")} files` : `${samples.toLocaleString("pt-BR")} amostras × ${files.toLocaleString("pt-BR")} arquivos`));
  const zones = (env: EnvironmentConfig) => env.network.availabilityZones.length;

  const values: Record<string, Record<DeckLanguage, string>> = {
    deckDate: monthYear(DECK_DATE),
    region: text([...new Set(all.map((env) => env.region))].join(", ")),
    workloadEnvs: num(workloads.length),
    workloadEnvNames: list(workloads.map((env) => env.name)),
    stacksPerWorkload: num(perWorkload[0]),
    stacksTooling: num(environments.tooling ? stackCount(environments.tooling) : 0),
    stacksTotal: num(all.reduce((sum, env) => sum + stackCount(env), 0)),
    guardrailRules: num(GUARDRAIL_RULES.length),
    testCount: num(measurements.tests.tests),
    testFiles: num(measurements.tests.files),
    testTime: duration(measurements.tests.wallMs),
    synthTime: seconds(measurements.synth.wallMsMedian),
    synthMiB: num(measurements.synth.peakRssMiBMedian),
    measuredOn: date(measurements.measuredOn),
    measuredNode: text(measurements.node.replace(/^v/, "")),
    measuredCpus: num(measurements.cpus),
    nodeEngine: text(String(packageJson.engines.node).replace(/^>=\s*/, "")),
    nodeEngineMajor: text(String(packageJson.engines.node).replace(/^>=\s*/, "").split(".")[0]),
    ciNodes: list(ciNodeVersions(root)),
    cdktfVersion: text(packageJson.dependencies.cdktf),
    cdktfDeprecated: date(deprecated),
    cdktfMonths: num(wholeMonths(deprecated, DECK_DATE)),
    maxSamples: num(MAX_SAMPLES),
    maxFilesPerSample: num(MAX_FILES_PER_SAMPLE),
    historyLimit: num(HISTORY_EVENT_LIMIT),
    historyAnalysis: num(worstCaseHistoryEvents(analysis)),
    historySample: num(worstCaseHistoryEvents({ StartAt: map.ItemProcessor.StartAt, States: map.ItemProcessor.States })),
    prodVcpus: num(prod.pipeline.spotMaxVcpus + prod.pipeline.onDemandMaxVcpus),
    prodFilesAtOnce: num(filesAtOnce(prod)),
    identifyVcpus: num(prod.pipeline.jobs.identify.vcpus),
    identifyMinutes: num(prod.cost.identifyMinutesPerFile),
    spotShare: both((language) => `${Math.round(prod.cost.spotShare * 100).toLocaleString(LOCALE[language])}%`),
    prodFixed: usd(fixedTotal),
    prodTotal: usd(prodCost.totalMonthlyUsd),
    prodAnalysesPerMonth: num(prod.cost.analysesPerMonth),
    nominalShape: shape(prod.cost.samplesPerAnalysis, prod.cost.filesPerSample),
    nominalFiles: num(nominalFiles),
    nominalAnalysis: usd(prodCost.analysis!.usd),
    nominalHours: num(identifyHours(prod, nominalFiles), 1),
    bigShape: shape(MAX_SAMPLES, prod.cost.filesPerSample),
    bigFiles: num(bigFiles),
    bigAnalysis: usd(bigCost.usd),
    bigHours: num(identifyHours(prod, bigFiles)),
    bigPerSample: both((language) => `US$ ${(bigCost.usd / MAX_SAMPLES).toLocaleString(LOCALE[language], { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`),
    redshiftShare: both((language) => `${Math.round((redshiftProd / fixedTotal) * 100).toLocaleString(LOCALE[language])}%`),
    prodRedshiftNodes: text(`${prod.data.redshift.numberOfNodes} × ${prod.data.redshift.nodeType}`),
    prodBackupDays: num(prod.data.postgres.backupRetentionDays),
    eksProd: usd(fixedOf(prodCost, "aws_eks_cluster")),
    kubernetesVersion: text(prod.cluster.kubernetesVersion),
    toolingFixed: usd(environments.tooling ? costOf(environments.tooling.name).fixedMonthlyUsd : 0),
    fixedAll: usd(costs.reduce((sum, cost) => sum + cost.fixedMonthlyUsd, 0)),
    serverlessRpus: num(ZERO_ETL_SERVERLESS_BASE_RPUS),
    nonProdEnvNames: list(nonProd.map((env) => env.name)),
    noAuroraEnvs: list(workloads.filter((env) => alternativeOf(alternatives, env.name, "postgres").alternative === undefined).map((env) => env.name)),
    // The other environments' warehouses cost the same (checkAlternativeClaims): one figure for them all.
    "alt-redshift-nonProd": usd(alternativeOf(alternatives, nonProd[0].name, "warehouse").ours.monthlyUsd),
    "alt-serverless-nonProd": alternativeUsd(alternativeOf(alternatives, nonProd[0].name, "warehouse")),
    // Each decision against its alternative, per workload environment: `alt-<figure>-<environment>`.
    ...Object.fromEntries(
      workloads.flatMap((env) => {
        const of = (decision: Decision) => alternativeOf(alternatives, env.name, decision);
        return [
          [`alt-rds-${env.name}`, usd(of("postgres").ours.monthlyUsd)],
          [`alt-aurora-${env.name}`, alternativeUsd(of("postgres"))],
          [`alt-redshift-${env.name}`, usd(of("warehouse").ours.monthlyUsd)],
          [`alt-serverless-${env.name}`, alternativeUsd(of("warehouse"))],
          [`alt-autoModeHours-${env.name}`, num(Math.round(of("nodes").managedInstanceHours ?? 0))],
        ];
      }),
    ),
  };

  const yes = both((language) => (language === "en" ? "yes" : "sim"));
  const no = both((language) => (language === "en" ? "no" : "não"));
  const tables: Record<string, Record<DeckLanguage, string>> = {
    environments: both((language) =>
      markdownTable(
        language === "en"
          ? ["environment", "zones", "NAT gateways", "PostgreSQL", "Multi-AZ", "Redshift", "Batch vCPUs (Spot + On-Demand)", "stacks"]
          : ["ambiente", "zonas", "NAT gateways", "PostgreSQL", "Multi-AZ", "Redshift", "vCPUs do Batch (Spot + On-Demand)", "stacks"],
        workloads.map((env) => [
          env.name,
          num(zones(env))[language],
          env.network.natGateways === "perAz" ? (language === "en" ? "one per zone" : "um por zona") : language === "en" ? "one" : "um",
          env.data.postgres.instanceClass,
          (env.data.postgres.multiAz ? yes : no)[language],
          `${env.data.redshift.numberOfNodes} × ${env.data.redshift.nodeType}`,
          `${num(env.pipeline.spotMaxVcpus)[language]} + ${num(env.pipeline.onDemandMaxVcpus)[language]}`,
          num(stackCount(env))[language],
        ]),
      ),
    ),
    capacity: both((language) =>
      markdownTable(
        language === "en"
          ? ["environment", "files at once", "samples at once per analysis", "files per hour", `hours for ${shape(MAX_SAMPLES, prod.cost.filesPerSample).en}`]
          : ["ambiente", "arquivos ao mesmo tempo", "amostras ao mesmo tempo por análise", "arquivos por hora", `horas para ${shape(MAX_SAMPLES, prod.cost.filesPerSample)["pt-BR"]}`],
        workloads.map((env) => [
          env.name,
          num(filesAtOnce(env))[language],
          num(env.pipeline.maxConcurrentSamples)[language],
          num(filesAtOnce(env) * (60 / env.cost.identifyMinutesPerFile))[language],
          num(identifyHours(env, bigFiles))[language],
        ]),
      ),
    ),
    altPostgres: alternativeTable(alternatives, workloads, "postgres", {
      en: ["environment", "RDS for PostgreSQL + proxy (ours)", "Aurora PostgreSQL + proxy", "difference"],
      "pt-BR": ["ambiente", "RDS para PostgreSQL + proxy (nossa escolha)", "Aurora PostgreSQL + proxy", "diferença"],
    }),
    altWarehouse: alternativeTable(alternatives, workloads, "warehouse", {
      en: ["environment", "Redshift provisioned (ours)", `Serverless, ${num(ZERO_ETL_SERVERLESS_BASE_RPUS).en} RPUs all month`, "difference"],
      "pt-BR": ["ambiente", "Redshift provisionado (nossa escolha)", `Serverless, ${num(ZERO_ETL_SERVERLESS_BASE_RPUS)["pt-BR"]} RPUs o mês todo`, "diferença"],
    }),
    altNodes: both((language) =>
      markdownTable(
        language === "en"
          ? ["environment", "system nodes + web capacity (ours)", "instance-hours Auto Mode would manage", "EKS Auto Mode"]
          : ["ambiente", "nós de sistema + capacidade web (nossa escolha)", "instâncias-hora que o Auto Mode gerenciaria", "EKS Auto Mode"],
        workloads.map((env) => {
          const entry = alternativeOf(alternatives, env.name, "nodes");
          return [env.name, usdIn(entry.ours.monthlyUsd, language), num(Math.round(entry.managedInstanceHours ?? 0))[language], alternativeUsd(entry)[language]];
        }),
      ),
    ),
    biggestFixed: both((language) => {
      const byStack = new Map<string, number>();
      for (const entry of prodCost.fixed) {
        const kind = entry.address.startsWith("(") ? entry.address : entry.address.split(".")[0];
        byStack.set(kind, (byStack.get(kind) ?? 0) + entry.monthlyUsd);
      }
      const rows = [...byStack].sort((a, b) => b[1] - a[1]).slice(0, 6);
      return markdownTable(
        language === "en" ? ["resource type (production)", "per month", "share of the fixed cost"] : ["tipo de recurso (produção)", "por mês", "parcela do custo fixo"],
        rows.map(([kind, sum]) => [`\`${kind}\``, usdIn(sum, language), `${Math.round((sum / fixedTotal) * 100).toLocaleString(LOCALE[language])}%`]),
      );
    }),
  };
  return { values, tables, costs };
}

/** Where the template of each deck is: slides.template.md next to slides.md. */
export const templateOf = (deck: string) => deck.replace(/slides\.md$/, "slides.template.md");

/** The deck written from `template`: every placeholder filled, the cost table between its markers. */
export function renderDeck(template: string, figures: DeckFigures, language: DeckLanguage): string {
  const unknown: string[] = [];
  const filled = template
    .replace(/^\{\{table:([\w-]+)\}\}$/gm, (_match, name: string) => figures.tables[name]?.[language] ?? (unknown.push(`table:${name}`), ""))
    .replace(/\{\{([\w-]+)\}\}/g, (_match, name: string) => figures.values[name]?.[language] ?? (unknown.push(name), ""));
  if (unknown.length > 0) throw new Error(`the ${language} deck's template names figures that do not exist: ${unknown.join(", ")}`);
  return withCostSlideTable(filled, renderCostSlideTable(figures.costs, language));
}

/**
 * Numbers a template states outside its placeholders (front matter, style and the generated cost table aside): every
 * standalone number, that is digits not part of a name such as `S3`, `IMDSv2`, `sa-east-1` or `ra3.4xlarge`, nor an
 * ISO date, nor an image's layout (`![bg right:70%](…)`). `allowed` lists the phrases whose number is a name (e.g. `Route 53`).
 */
export function literalNumbers(template: string, allowed: readonly string[] = ALLOWED_NUMBER_PHRASES): string[] {
  let body = template.replace(/^---\n[\s\S]*?\n---\n/, "").replace(/<style>[\s\S]*?<\/style>/g, "");
  body = body.replace(/\[\/\/\]: # \(generated: cost summary, npm run cost\)[\s\S]*?\[\/\/\]: # \(end generated\)/g, "");
  body = body.replace(/\{\{[\w:-]+\}\}/g, "").replace(/!\[[^\]]*\]\([^)]*\)/g, "").replace(/\]\([^)]*\)/g, "]()").replace(/\b\d{4}-\d{2}-\d{2}\b/g, "");
  for (const phrase of allowed) body = body.split(phrase).join("");
  return [...body.matchAll(/(?<![\w.\-/@])\d[\d,.]*(?![\w\-/])/g)].map((match) => match[0].replace(/[.,]$/, ""));
}

/** Phrases whose number is part of a name, not a figure. */
export const ALLOWED_NUMBER_PHRASES = ["Route 53"] as const;
