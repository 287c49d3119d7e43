/**
 * `npm run docs:diagram`: synthesizes every environment, writes the DOT source of each diagram in each language
 * (docs/diagrams/, docs/pt-BR/diagrams/), and renders it to SVG (Graphviz compiled to WebAssembly) and PNG (resvg,
 * with the DejaVu fonts of the dejavu-fonts-ttf package, so the output does not depend on the machine's fonts).
 * Works offline. Commit the results; a test fails when a committed source or rendering is stale.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { instance } from "@viz-js/viz";
import { diagramSources } from "../modules/documents/diagram-sources";
import { renderedSvg } from "../modules/documents/rendered-svg";
import { runGenerator, withFullSynthesis } from "./full-synthesis";

/** Width of the PNGs, in pixels: sharp on a 1920-pixel slide. */
const PNG_WIDTH = 2400;
const FONTS = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((file) => path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf", file));

runGenerator(() =>
  withFullSynthesis(async (outdir, environments) => {
    const root = path.join(__dirname, "..");
    const viz = await instance();
    for (const [dotFile, dot] of Object.entries(diagramSources(outdir, environments))) {
      const base = path.join(root, dotFile.replace(/\.dot$/, ""));
      fs.mkdirSync(path.dirname(base), { recursive: true });
      fs.writeFileSync(`${base}.dot`, dot);
      const svg = renderedSvg(dot, viz.renderString(dot, { format: "svg", engine: "dot" }));
      fs.writeFileSync(`${base}.svg`, svg);
      const png = new Resvg(svg, {
        fitTo: { mode: "width", value: PNG_WIDTH },
        background: "#FFFFFF",
        font: { fontFiles: FONTS, loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" },
      }).render();
      fs.writeFileSync(`${base}.png`, png.asPng());
      console.log(`Wrote ${path.relative(root, base)}.{dot,svg,png} (${png.width}×${png.height})`);
    }
  }),
);
