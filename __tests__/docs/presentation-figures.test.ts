import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AlternativeCost } from "../../modules/cost/alternatives";
import { ALLOWED_NUMBER_PHRASES, DeckLanguage, checkAlternativeClaims, deckFigures, literalNumbers, renderDeck, templateOf, wholeMonths } from "../../modules/documents/deck-figures";
import { MEASUREMENTS_FILE, readMeasurements } from "../../modules/documents/deck-measurements";
import { SLIDE_DECKS } from "../../modules/documents/slide-deck";
import { ENVIRONMENTS, TOOLING } from "../helpers/environments";
import { synthesizedStacks } from "../helpers/synth";

// Every figure on a slide comes from generated data: the decks are written from templates whose figures are
// placeholders (modules/documents/deck-figures.ts), and the committed decks are what the generator writes.

const ROOT = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const DECKS = Object.entries(SLIDE_DECKS) as Array<[DeckLanguage, string]>;

describe("the presentations' figures", () => {
  const figures = deckFigures({
    environments: { workloads: ENVIRONMENTS, tooling: TOOLING },
    stacks: Object.fromEntries([...ENVIRONMENTS, TOOLING].map((env) => [env.name, synthesizedStacks(env.name)])),
    measurements: readMeasurements(ROOT),
    root: ROOT,
  });

  it.each(DECKS)("%s: the committed deck is what its template and the data give (run `npm run docs:slides` and commit when this fails)", (language, deck) => {
    expect(read(deck)).toBe(renderDeck(read(templateOf(deck)), figures, language));
  });

  it.each(DECKS)("%s: the template states no number outside a placeholder (slides and notes)", (_language, deck) => {
    expect(literalNumbers(read(templateOf(deck)))).toEqual([]);
  });

  it("both languages state the same figures and tables", () => {
    const placeholders = (deck: string) => [...read(templateOf(deck)).matchAll(/\{\{([\w:-]+)\}\}/g)].map((match) => match[1]).sort();
    expect(placeholders(SLIDE_DECKS["pt-BR"])).toEqual(placeholders(SLIDE_DECKS.en));
  });

  it("refuses a template that names a figure the data does not have", () => {
    expect(() => renderDeck("x {{noSuchFigure}}\n{{table:noSuchTable}}\n", figures, "en")).toThrow(
      "the en deck's template names figures that do not exist: table:noSuchTable, noSuchFigure",
    );
  });

  it("finds the numbers a template would state by hand, and not the ones that are names or placeholders", () => {
    const template = "---\nsize: 16:9\n---\n## Tests take about 15 s on Node 20, {{testTime}}\n- S3, IMDSv2, sa-east-1, ra3.4xlarge, 2025-12-10, Route 53, `0001-cdktf-exit-plan.md`\n- 1,000 files, 90% on Spot\n![bg right:70% contain](../diagrams/x2.png)\n";
    expect(literalNumbers(template)).toEqual(["15", "20", "1,000", "90"]);
    expect(ALLOWED_NUMBER_PHRASES).toEqual(["Route 53"]);
  });

  it("counts the months since CDKTF's deprecation in whole months", () => {
    expect([wholeMonths("2025-12-10", "2026-11-30"), wholeMonths("2025-12-10", "2026-12-09"), wholeMonths("2025-12-10", "2026-12-10")]).toEqual([11, 11, 12]);
  });
});

describe(`the measured figures (${MEASUREMENTS_FILE})`, () => {
  const measurements = readMeasurements(ROOT);
  // The bench's own test run (BENCH_TEST_RUN) is the measurement that replaces this record: it does not judge it.
  const current = process.env.BENCH_TEST_RUN ? it.skip : it;

  current("come from a run in which every test passed (run `npm run bench -- --record` when this fails)", () => {
    expect(measurements.tests.failed).toBe(0);
  });

  current("count the test files there are now (run `npm run bench -- --record` when this fails)", () => {
    const testFiles = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? testFiles(path.join(dir, entry.name)) : entry.name.endsWith(".test.ts") ? [entry.name] : []));
    expect(measurements.tests.files).toBe(testFiles(path.join(ROOT, "__tests__")).length);
  });

  it("are refused when the file is not what the bench writes", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "measurements-"));
    try {
      fs.mkdirSync(path.join(dir, path.dirname(MEASUREMENTS_FILE)), { recursive: true });
      fs.writeFileSync(path.join(dir, MEASUREMENTS_FILE), JSON.stringify({ ...measurements, tests: { ...measurements.tests, wallMs: "about 15 s" } }));
      expect(() => readMeasurements(dir)).toThrow(`${MEASUREMENTS_FILE} is not what \`npm run bench -- --record\` writes: run it again`);
      fs.rmSync(path.join(dir, MEASUREMENTS_FILE));
      expect(() => readMeasurements(dir)).toThrow(`${MEASUREMENTS_FILE} is missing: run \`npm run bench -- --record\` and commit it`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the decision slides' claims about the alternatives", () => {
  const prod = ENVIRONMENTS.find((env) => env.tier === "production")!;
  const others = ENVIRONMENTS.filter((env) => env !== prod);
  const option = (monthlyUsd: number) => ({ name: "x", lines: [], monthlyUsd });
  /** The decks' story: Serverless cheaper in production only, one warehouse price elsewhere, one class Aurora lacks. */
  const story = (): AlternativeCost[] =>
    ENVIRONMENTS.flatMap((env, index) => [
      { decision: "warehouse" as const, environment: env.name, region: env.region, ours: option(env === prod ? 7000 : 2500), alternative: option(3500) },
      index === 1
        ? { decision: "postgres" as const, environment: env.name, region: env.region, ours: option(100), unpriced: { kind: "class-not-offered" as const, instanceClass: "db.m6g.large" } }
        : { decision: "postgres" as const, environment: env.name, region: env.region, ours: option(100), alternative: option(110) },
    ]);
  const changed = (environment: string, decision: string, change: Partial<AlternativeCost>) =>
    story().map((entry) => (entry.environment === environment && entry.decision === decision ? { ...entry, ...change } : entry));

  it("hold for the story the slides tell", () => {
    expect(() => checkAlternativeClaims(story(), prod, ENVIRONMENTS)).not.toThrow();
  });

  it("refuse to write the decks when the data tells another story", () => {
    expect(() => checkAlternativeClaims(changed(prod.name, "warehouse", { alternative: option(8000) }), prod, ENVIRONMENTS)).toThrow(
      `${prod.name}: Redshift Serverless no longer costs less than the cluster: the decks' warehouse slides say it does`,
    );
    expect(() => checkAlternativeClaims(changed(others[0].name, "warehouse", { alternative: option(1000) }), prod, ENVIRONMENTS)).toThrow(
      `${others[0].name}: Redshift Serverless now costs less than the cluster: the decks' warehouse slides say it costs more`,
    );
    expect(() => checkAlternativeClaims(changed(others[1].name, "warehouse", { ours: option(2600) }), prod, ENVIRONMENTS)).toThrow(
      `${others[1].name}: its cluster no longer costs what ${others[0].name}'s does: the decks' warehouse slides quote one figure for both`,
    );
    expect(() => checkAlternativeClaims(changed(ENVIRONMENTS[1].name, "postgres", { alternative: option(110), unpriced: undefined }), prod, ENVIRONMENTS)).toThrow(
      "the decks say exactly one environment's PostgreSQL class has no Aurora equivalent; the data says: none",
    );
  });
});
