import * as fs from "node:fs";
import * as path from "node:path";

/** The measured figures the presentation states, written by `npm run bench -- --record` (repository-relative). */
export const MEASUREMENTS_FILE = "docs/presentation/measurements.json";

/** What `npm run bench -- --record` measured: a full synth of every environment, and one `npm test` run. */
export interface Measurements {
  /** Day of the measurement (YYYY-MM-DD). */
  readonly measuredOn: string;
  /** `process.version` of the run. */
  readonly node: string;
  /** CPUs of the machine. */
  readonly cpus: number;
  readonly synth: { readonly runs: number; readonly wallMsMedian: number; readonly peakRssMiBMedian: number };
  /** `failed`: tests that failed in that run (0 in a run worth stating). */
  readonly tests: { readonly wallMs: number; readonly tests: number; readonly files: number; readonly failed: number };
}

/** The committed measurements; refuses a file that is missing or not of this shape. */
export function readMeasurements(root: string): Measurements {
  const file = path.join(root, MEASUREMENTS_FILE);
  if (!fs.existsSync(file)) throw new Error(`${MEASUREMENTS_FILE} is missing: run \`npm run bench -- --record\` and commit it`);
  const value = JSON.parse(fs.readFileSync(file, "utf8")) as Measurements;
  const numbers = [value.cpus, value.synth?.runs, value.synth?.wallMsMedian, value.synth?.peakRssMiBMedian, value.tests?.wallMs, value.tests?.tests, value.tests?.files];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value.measuredOn ?? "") || !/^v\d+\./.test(value.node ?? "") || numbers.some((n) => typeof n !== "number" || !(n > 0)) || typeof value.tests?.failed !== "number") {
    throw new Error(`${MEASUREMENTS_FILE} is not what \`npm run bench -- --record\` writes: run it again`);
  }
  return value;
}
