/**
 * `npm run bench [-- <runs>]`: synthesizes every environment `runs` times (default 5), each in a fresh process as
 * `npm run synth` does, and prints the median and range of wall time and peak RSS; then as many timed syntheses
 * (scripts/bench-phases.ts) for the median of each phase: module load, construct tree, guardrails, synthesis and
 * write. A script, not a test: the figures go into issue notes when a change could move them.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

const ROOT = path.join(__dirname, "..");
const runs = Number(process.argv[2] ?? 5);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive whole number (got ${process.argv[2]})`);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
const wallMs: number[] = [];
const peakRssMiB: number[] = [];
const phases: Array<Record<string, number>> = [];
try {
  for (let run = 0; run < runs; run++) {
    const rssFile = path.join(scratch, `rss-${run}`);
    const started = performance.now();
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", "--import", "./scripts/report-peak-rss.ts", "main.ts"],
      {
        cwd: ROOT,
        env: { ...process.env, CDKTF_OUTDIR: path.join(scratch, `out-${run}`), BENCH_RSS_FILE: rssFile, SYNTH_ENVIRONMENTS: "" },
        encoding: "utf8",
      },
    );
    wallMs.push(performance.now() - started);
    if (result.status !== 0) throw new Error(`synth failed:\n${result.stderr}`);
    peakRssMiB.push(Number(fs.readFileSync(rssFile, "utf8")) / 1024);
    if (run === 0) console.log(result.stdout.trim());
  }
  for (let run = 0; run < runs; run++) {
    const phasesFile = path.join(scratch, `phases-${run}`);
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/bench-phases.ts"], {
      cwd: ROOT,
      env: { ...process.env, BENCH_PHASES_FILE: phasesFile },
      encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(`timed synth failed:\n${result.stderr}`);
    phases.push(JSON.parse(fs.readFileSync(phasesFile, "utf8")));
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const describe = (values: number[], unit: string) =>
  `median ${median(values).toFixed(0)} ${unit} (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})`;

console.log(`synth of all environments, ${runs} runs (node ${process.version}, ${os.cpus().length} CPUs)`);
console.log(`  wall time: ${describe(wallMs, "ms")}`);
console.log(`  peak RSS:  ${describe(peakRssMiB, "MiB")}`);
console.log("  phases (median ms): " + Object.keys(phases[0]).map((phase) => `${phase} ${median(phases.map((run) => run[phase])).toFixed(0)}`).join(", "));
