import * as fs from "node:fs";

/** Removes the synthesis of `global-setup.ts`. */
export default function globalTeardown(): void {
  if (process.env.PROTEOMICS_SYNTH_DIR) fs.rmSync(process.env.PROTEOMICS_SYNTH_DIR, { recursive: true, force: true });
}
