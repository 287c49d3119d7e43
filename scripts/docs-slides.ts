/**
 * `npm run docs:slides`: renders each presentation (docs/presentation/slides.md, docs/pt-BR/presentation/slides.md)
 * with Marp to one self-contained HTML file next to it (images inlined), and to PDF when a Chromium is available
 * (CHROME_PATH, or chromium / google-chrome on the PATH). Works offline. Commit the HTML; a test fails when it is
 * stale.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { marpCli } from "@marp-team/marp-cli";
import { SLIDE_DECKS, deckHashComment, inlineImages } from "../modules/documents/slide-deck";
import { runGenerator } from "./full-synthesis";

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

runGenerator(async () => {
  const root = path.join(__dirname, "..");
  const chromium = findChromium();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "slides-"));
  try {
    for (const [language, deck] of Object.entries(SLIDE_DECKS)) {
      const source = path.join(root, deck);
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
});
