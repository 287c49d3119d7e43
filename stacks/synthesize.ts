import * as fs from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";

/**
 * Synthesizes the stacks that `defineStacks` adds to the app into `outdir`, all or nothing: the app writes into a
 * scratch directory next to `outdir`, and only a synth that passed every validation (guardrails included) is
 * copied over. Directories of stacks no longer synthesized are removed, and so are the assets of the others (named
 * by content, they would pile up); other files in kept ones (`.terraform/`) stay. Returns the names of the synthesized stacks.
 */
export function synthesizeAtomically(outdir: string, defineStacks: (app: App) => void): string[] {
  const absoluteOutdir = path.resolve(outdir);
  fs.mkdirSync(path.dirname(absoluteOutdir), { recursive: true });
  const scratch = fs.mkdtempSync(`${absoluteOutdir}.partial-`);
  try {
    const app = new App({ outdir: scratch, stackTraces: false });
    defineStacks(app);
    app.synth();

    const synthesizedStacks = path.join(scratch, "stacks");
    const stacks = fs.existsSync(synthesizedStacks) ? fs.readdirSync(synthesizedStacks) : [];
    const publishedStacks = path.join(absoluteOutdir, "stacks");
    if (fs.existsSync(publishedStacks)) {
      for (const stale of fs.readdirSync(publishedStacks).filter((name) => !stacks.includes(name))) {
        fs.rmSync(path.join(publishedStacks, stale), { recursive: true, force: true });
      }
    }
    // Assets are named by their content: drop the previous ones rather than keep every version.
    for (const stack of stacks) fs.rmSync(path.join(publishedStacks, stack, "assets"), { recursive: true, force: true });
    fs.cpSync(scratch, absoluteOutdir, { recursive: true, force: true });
    return stacks.sort();
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** One synthesized stack: its name and the stacks it depends on (cross-stack references and explicit ones). */
export interface SynthesizedStackNode {
  readonly name: string;
  readonly dependencies: readonly string[];
}

/** The stacks of a synthesis in `outdir` and their dependencies, from the manifest cdktf writes there. */
export function synthesizedStackGraph(outdir: string): SynthesizedStackNode[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { dependencies?: string[] }>;
  };
  return Object.entries(manifest.stacks).map(([name, stack]) => ({ name, dependencies: [...(stack.dependencies ?? [])] }));
}
