import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ALLOWED_NUMBER_PHRASES, DeckLanguage, deckFigures, literalNumbers, renderDeck, templateOf, wholeMonths } from "../../modules/documents/deck-figures";
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
