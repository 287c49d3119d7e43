/**
 * `npm run docs:slides`: writes each presentation (docs/presentation/slides.md, docs/pt-BR/presentation/slides.md) from
 * its template (slides.template.md) with every figure filled from the code (modules/documents/deck-figures.ts: a
 * synthesis of every environment, the cost model, the environments, package.json, CI and the measurements of
 * `npm run bench -- --record`), then renders it with Marp to one self-contained HTML file next to it (images inlined),
 * and to PDF when a Chromium is available (CHROME_PATH, or chromium / google-chrome on the PATH). Works offline. Commit
 * the Markdown and the HTML; tests fail when either is stale.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { marpCli } from "@marp-team/marp-cli";
import { environmentStacks } from "../modules/cost/cost-report";
import { deckFigures, renderDeck, templateOf } from "../modules/documents/deck-figures";
import { readMeasurements } from "../modules/documents/deck-measurements";
import { SLIDE_DECKS, deckHashComment, inlineImages, missingImages } from "../modules/documents/slide-deck";
import { allEnvironments } from "../environments";
import { runGenerator, withFullSynthesis } from "./full-synthesis";

function findChromium(): string | undefined {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH;
  for (const candidate of ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]) {
    try {
      return execFileSync("which", [candidate], { encoding: "utf8" }).trim() || undefined;
    } catch {
      // not installed
    }
  }
  return undefined;
}

runGenerator(() =>
  withFullSynthesis(async (outdir, environments) => {
    const root = path.join(__dirname, "..");
    const stacks = Object.fromEntries(allEnvironments(environments).map((env) => [env.name, environmentStacks(outdir, env.name)]));
    const figures = deckFigures({ environments, stacks, measurements: readMeasurements(root), root });
    const chromium = findChromium();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "slides-"));
    try {
      for (const [language, deck] of Object.entries(SLIDE_DECKS) as Array<[keyof typeof SLIDE_DECKS, string]>) {
        const source = path.join(root, deck);
        fs.writeFileSync(source, renderDeck(fs.readFileSync(path.join(root, templateOf(deck)), "utf8"), figures, language));
        console.log(`Wrote ${deck}`);
        const missing = missingImages(source);
        if (missing.length > 0) console.warn(`${deck}: images not generated yet (npm run docs:diagram), shown as placeholders: ${missing.join(", ")}`);
        const inlined = path.join(scratch, `${language}.md`);
        const markdown = inlineImages(source);
        fs.writeFileSync(inlined, markdown);
        const html = source.replace(/\.md$/, ".html");
        const exitCode = await marpCli([inlined, "--html", "--no-stdin", "-o", html]);
        if (exitCode !== 0) throw new Error(`Marp failed on ${deck} (exit ${exitCode})`);
        fs.writeFileSync(html, `${deckHashComment(markdown)}\n${fs.readFileSync(html, "utf8")}`);
        console.log(`Wrote ${path.relative(root, html)}`);
        if (chromium) {
          const pdf = source.replace(/\.md$/, ".pdf");
          process.env.CHROME_PATH = chromium;
          const pdfExit = await marpCli([inlined, "--pdf", "--pdf-notes", "--no-stdin", "-o", pdf]);
          if (pdfExit !== 0) throw new Error(`Marp failed to print ${deck} to PDF (exit ${pdfExit})`);
          console.log(`Wrote ${path.relative(root, pdf)}`);
        } else {
          console.log(`PDF of ${deck} skipped: no Chromium (set CHROME_PATH to one)`);
        }
      }
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }),
);
