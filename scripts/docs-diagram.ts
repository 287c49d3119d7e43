/**
 * `npm run docs:diagram`: synthesizes every environment and writes, in each language (docs/diagrams/,
 * docs/pt-BR/diagrams/), each view's DOT source and its page (the picture beside its numbered flow table), renders
 * each view to SVG (Graphviz compiled to WebAssembly, the AWS icons embedded as data) and PNG (resvg, with the DejaVu
 * fonts of the dejavu-fonts-ttf package, so the output does not depend on the machine's fonts), and writes the icon
 * credits. Works offline. Commit the results; a test fails when a committed source or rendering is stale.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { instance } from "@viz-js/viz";
import { DIAGRAMS, DIAGRAM_DIRECTORIES, diagramSources } from "../modules/documents/diagram-sources";
import { iconImages, inlineIcons } from "../modules/documents/icons";
import { renderedSvg } from "../modules/documents/rendered-svg";
import { runGenerator, withFullSynthesis } from "./full-synthesis";

/** Width of the PNGs, in pixels: sharp on a 1920-pixel slide. */
const PNG_WIDTH = 2400;
const FONTS = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((file) => path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf", file));

runGenerator(() =>
  withFullSynthesis(async (outdir, environments) => {
    const started = Date.now();
    const root = path.join(__dirname, "..");
    const viz = await instance();
    // Files of views that no longer exist (the former single architecture diagram) go.
    for (const directory of Object.values(DIAGRAM_DIRECTORIES)) {
      for (const file of fs.existsSync(path.join(root, directory)) ? fs.readdirSync(path.join(root, directory)) : []) {
        const base = file.replace(/\.(dot|svg|png|md)$/, "");
        if (file !== "CREDITS.md" && !(DIAGRAMS as readonly string[]).includes(base)) fs.rmSync(path.join(root, directory, file));
      }
    }
    for (const [file, text] of Object.entries(diagramSources(outdir, environments))) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
      if (!file.endsWith(".dot")) continue;
      const base = path.join(root, file.replace(/\.dot$/, ""));
      const svg = renderedSvg(text, inlineIcons(viz.renderString(text, { format: "svg", engine: "dot", images: iconImages() })));
      fs.writeFileSync(`${base}.svg`, svg);
      const png = new Resvg(svg, {
        fitTo: { mode: "width", value: PNG_WIDTH },
        background: "#FFFFFF",
        font: { fontFiles: FONTS, loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" },
      }).render();
      fs.writeFileSync(`${base}.png`, png.asPng());
      console.log(`Wrote ${path.relative(root, base)}.{dot,svg,png} (${png.width}×${png.height})`);
    }
    console.log(`Rendered in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }),
);
