/**
 * `npm run bench [-- <runs>] [-- --skip-tests]`: synthesizes every environment `runs` times (default 5), each in a
 * fresh process as `npm run synth` does, and prints the median and range of wall time and peak RSS; then as many timed
 * syntheses (scripts/bench-phases.ts) for the median of each phase: module load, construct tree, guardrails,
 * synthesis and write; then one `npm test` run: its wall time and the peak memory of its processes (the largest one,
 * and all of them together, sampled from `ps`). A script, not a test: the figures go into issue notes when a change
 * could move them. With `--record`, it also writes them to docs/presentation/measurements.json (MEASUREMENTS_FILE), the
 * measured figures the presentation states (`npm run docs:slides` reads them; commit the file).
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { MEASUREMENTS_FILE, Measurements } from "../modules/documents/deck-measurements";

const ROOT = path.join(__dirname, "..");
const TYPESCRIPT = ["-r", "./scripts/register-typescript.cjs"];
const args = process.argv.slice(2);
const skipTests = args.includes("--skip-tests");
const record = args.includes("--record");
if (record && skipTests) throw new Error("--record needs the test run: drop --skip-tests");
const runs = Number(args.find((arg) => !arg.startsWith("--")) ?? 5);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive whole number (got ${args.join(" ")})`);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const describe = (values: number[], unit: string) =>
  `median ${median(values).toFixed(0)} ${unit} (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})`;

/** Resident memory (KiB) of `root` and each of its descendants, now, from `ps`. */
function treeRssKiB(root: number): number[] {
  const rows = spawnSync("ps", ["-e", "-o", "pid=,ppid=,rss="], { encoding: "utf8" })
    .stdout.trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number));
  const inTree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of rows) {
      if (inTree.has(ppid) && !inTree.has(pid)) {
        inTree.add(pid);
        grew = true;
      }
    }
  }
  return rows.filter(([pid]) => inTree.has(pid)).map(([, , rss]) => rss);
}

interface TestRun {
  wallMs: number;
  largestMiB: number;
  totalMiB: number;
  exitCode: number | null;
  /** Jest's own counts (its --json report). */
  tests: number;
  suites: number;
  failed: number;
  /** The failed tests, `file: full name`. */
  failures: string[];
}

/** Runs `npm test` once: wall time, and the peak RSS of its largest process and of all its processes together. */
async function benchTests(scratch: string): Promise<TestRun> {
  const report = path.join(scratch, "jest.json");
  const started = performance.now();
  // BENCH_TEST_RUN: the run being measured does not judge the record it is about to replace (presentation-figures.test.ts).
  const child = spawn("npm", ["test", "--silent", "--", "--json", `--outputFile=${report}`], { cwd: ROOT, stdio: "ignore", env: { ...process.env, BENCH_TEST_RUN: "1" } });
  let largest = 0;
  let total = 0;
  const sampler = setInterval(() => {
    const rss = treeRssKiB(child.pid!);
    largest = Math.max(largest, ...rss);
    total = Math.max(total, rss.reduce((sum, value) => sum + value, 0));
  }, 200);
  const exitCode = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  clearInterval(sampler);
  const wallMs = performance.now() - started;
  const counts = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, "utf8")) : {};
  return {
    wallMs,
    largestMiB: largest / 1024,
    totalMiB: total / 1024,
    exitCode,
    tests: counts.numTotalTests ?? 0,
    suites: counts.numTotalTestSuites ?? 0,
    failed: (counts.numFailedTests ?? 0) + (counts.numRuntimeErrorTestSuites ?? 0),
    failures: ((counts.testResults ?? []) as Array<{ name: string; message?: string; assertionResults?: Array<{ status: string; fullName: string }> }>).flatMap((file) => {
      const failedTests = (file.assertionResults ?? []).filter((test) => test.status === "failed").map((test) => `${path.relative(ROOT, file.name)}: ${test.fullName}`);
      return failedTests.length > 0 || !file.message ? failedTests : [`${path.relative(ROOT, file.name)}: ${file.message.split("\n")[0]}`];
    }),
  };
}

async function main(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
  const wallMs: number[] = [];
  const peakRssMiB: number[] = [];
  const phases: Array<Record<string, number>> = [];
  try {
    for (let run = 0; run < runs; run++) {
      const rssFile = path.join(scratch, `rss-${run}`);
      const started = performance.now();
      const result = spawnSync(process.execPath, [...TYPESCRIPT, "-r", "./scripts/report-peak-rss.ts", "main.ts"], {
        cwd: ROOT,
        env: { ...process.env, CDKTF_OUTDIR: path.join(scratch, `out-${run}`), BENCH_RSS_FILE: rssFile, SYNTH_ENVIRONMENTS: "" },
        encoding: "utf8",
      });
      wallMs.push(performance.now() - started);
      if (result.status !== 0) throw new Error(`synth failed:\n${result.stderr}`);
      peakRssMiB.push(Number(fs.readFileSync(rssFile, "utf8")) / 1024);
      if (run === 0) console.log(result.stdout.trim());
    }
    for (let run = 0; run < runs; run++) {
      const phasesFile = path.join(scratch, `phases-${run}`);
      const result = spawnSync(process.execPath, [...TYPESCRIPT, "scripts/bench-phases.ts"], {
        cwd: ROOT,
        env: { ...process.env, BENCH_PHASES_FILE: phasesFile },
        encoding: "utf8",
      });
      if (result.status !== 0) throw new Error(`timed synth failed:\n${result.stderr}`);
      phases.push(JSON.parse(fs.readFileSync(phasesFile, "utf8")));
    }
  } catch (error) {
    fs.rmSync(scratch, { recursive: true, force: true });
    throw error;
  }

  console.log(`synth of all environments, ${runs} runs (node ${process.version}, ${os.cpus().length} CPUs)`);
  console.log(`  wall time: ${describe(wallMs, "ms")}`);
  console.log(`  peak RSS:  ${describe(peakRssMiB, "MiB")}`);
  console.log("  phases (median ms): " + Object.keys(phases[0]).map((phase) => `${phase} ${median(phases.map((run) => run[phase])).toFixed(0)}`).join(", "));

  if (skipTests) {
    fs.rmSync(scratch, { recursive: true, force: true });
    return;
  }
  const tests = await benchTests(scratch).finally(() => fs.rmSync(scratch, { recursive: true, force: true }));
  console.log(`npm test, 1 run: ${tests.tests} tests in ${tests.suites} files`);
  console.log(`  wall time: ${(tests.wallMs / 1000).toFixed(1)} s`);
  console.log(`  peak RSS:  largest process ${tests.largestMiB.toFixed(0)} MiB, all processes together ${tests.totalMiB.toFixed(0)} MiB`);
  if (record) {
    const measurements: Measurements = {
      measuredOn: new Date().toISOString().slice(0, 10),
      node: process.version,
      cpus: os.cpus().length,
      synth: { runs, wallMsMedian: Math.round(median(wallMs)), peakRssMiBMedian: Math.round(median(peakRssMiB)) },
      tests: { wallMs: Math.round(tests.wallMs), tests: tests.tests, files: tests.suites, failed: tests.failed },
    };
    fs.writeFileSync(path.join(ROOT, MEASUREMENTS_FILE), `${JSON.stringify(measurements, null, 2)}\n`);
    console.log(`Wrote ${MEASUREMENTS_FILE}${tests.failed > 0 ? " (with the failures counted: measure again once the tests pass)" : ""}`);
  }
  if (tests.exitCode !== 0) throw new Error(`npm test failed (exit ${tests.exitCode}, ${tests.failed} failed):\n  ${tests.failures.join("\n  ")}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
