import * as fs from "node:fs";
import * as path from "node:path";
import { Marp } from "@marp-team/marp-core";
import { labelSizesAt } from "../../modules/documents/diagram-checks";
import { frontMatter, imagesOnSlides } from "../../modules/documents/diagram-on-slides";
import { DIAGRAMS } from "../../modules/documents/diagram-sources";

const ROOT = path.join(__dirname, "..", "..");

/** The decks' templates (slides.md is written from them, with the same slides and images). */
const DECKS = ["docs/presentation/slides.template.md", "docs/pt-BR/presentation/slides.template.md"];

/** The smallest label readable on a slide, in pixels. */
const MIN_PX = 14;

const themeCss = (markdown: string) => {
  const name = frontMatter(markdown, "theme") ?? "default";
  const theme = new Marp().themeSet.get(name);
  if (!theme) throw new Error(`unknown Marp theme ${name}`);
  return theme.css;
};

/** The width and height of an SVG's viewBox. */
function viewBox(svg: string): { width: number; height: number } {
  const [, , width, height] = /<svg\b[^>]*\sviewBox="([^"]+)"/.exec(svg)![1].split(/[\s,]+/).map(Number);
  return { width, height };
}

/** Every label of the views on `markdown`'s slides under MIN_PX: deck, slide, view, label and size. */
function tooSmallOnSlides(deck: string, markdown: string, readSvg: (target: string) => string | undefined): { shown: string[]; tooSmall: string[] } {
  const shown: string[] = [];
  const tooSmall: string[] = [];
  for (const image of imagesOnSlides(markdown, themeCss(markdown))) {
    const svg = readSvg(image.target);
    if (svg === undefined) continue;
    const box = viewBox(svg);
    const width = image.drawnWidth(box.width / box.height);
    const view = path.basename(image.target, path.extname(image.target));
    shown.push(view);
    // The smallest label under MIN_PX names the problem; the others are counted.
    const under = labelSizesAt(svg, width)
      .filter((label) => label.px < MIN_PX)
      .sort((a, b) => a.px - b.px);
    if (under.length) {
      const title = image.title.length > 60 ? `${image.title.slice(0, 57)}...` : image.title;
      const more = under.length > 1 ? ` (and ${under.length - 1} more under ${MIN_PX} px)` : "";
      tooSmall.push(`${deck} slide ${image.slide} (${title}): ${view} "${under[0].text}" at ${under[0].px.toFixed(1)} px${more}`);
    }
  }
  return { shown, tooSmall };
}

/** The view an image of a deck shows: the SVG beside its PNG in a diagrams directory, when there is one. */
const diagramSvg = (deck: string) => (target: string) => {
  const file = path.resolve(ROOT, path.dirname(deck), target).replace(/\.png$/, ".svg");
  return /[/\\]diagrams[/\\][^/\\]+\.svg$/.test(file) && fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
};

describe("the views on the slides", () => {
  it.each(DECKS)(`%s: every label of every view is at least ${MIN_PX} px at the size the slide draws it`, (deck) => {
    const markdown = fs.readFileSync(path.join(ROOT, deck), "utf8");
    const { shown, tooSmall } = tooSmallOnSlides(deck, markdown, diagramSvg(deck));
    // The views the deck shows are found (the measure does not pass by finding none).
    expect(shown.length).toBeGreaterThan(0);
    for (const view of shown) expect(DIAGRAMS).toContain(view);
    expect(tooSmall).toEqual([]);
  });
});

describe("the measure of a view on a slide", () => {
  const deck = (style: string, slides: string[]) => ["---", "marp: true", "theme: default", "size: 16:9", "---", "", `<style>${style}</style>`, "", slides.join("\n\n---\n\n"), ""].join("\n");
  /** A view `width` × `height` units with one 20-unit label. */
  const view = (width: number, height: number) => `<svg width="${width}pt" height="${height}pt" viewBox="0.00 0.00 ${width}.00 ${height}.00"><g transform="scale(1 1) rotate(0) translate(4 ${height - 4})"><text font-size="20.00">Amazon Redshift</text></g></svg>`;
  const measure = (markdown: string, svg: string) => imagesOnSlides(markdown, themeCss(markdown)).map((image) => {
    const box = viewBox(svg);
    return { slide: image.slide, kind: image.kind, box: image.box, width: Number(image.drawnWidth(box.width / box.height).toFixed(1)) };
  });

  it("fits a split background into its share of the slide, keeping all of it in view with contain", () => {
    const markdown = deck("", ["## Title", "## Stacks\n\n![bg right:62% contain](../diagrams/stacks.png)"]);
    // The former stacks view, 1286 × 1262, nearly square: its height binds, 720 / 1262 of it, and 20 units become 11.4 px.
    expect(measure(markdown, view(1286, 1262))).toEqual([{ slide: 2, kind: "background", box: { width: 793.6, height: 720 }, width: 733.7 }]);
    expect(tooSmallOnSlides("deck.md", markdown, () => view(1286, 1262)).tooSmall).toEqual(['deck.md slide 2 (Stacks): stacks "Amazon Redshift" at 11.4 px']);
    // Landscape, its width binds: 793.6 / 1100 of it, 14.4 px.
    expect(tooSmallOnSlides("deck.md", markdown, () => view(1100, 700)).tooSmall).toEqual([]);
    // A background without a size keyword covers its box (Marp's default) and a plain bg fills the slide.
    expect(measure(deck("", ["![bg left](x.png)"]), view(1000, 1000))[0]).toMatchObject({ box: { width: 640, height: 720 }, width: 720 });
    expect(measure(deck("", ["![bg fit](x.png)"]), view(2000, 1000))[0]).toMatchObject({ box: { width: 1280, height: 720 }, width: 1280 });
  });

  it("fits an inline image into the content box, under the title, from the deck's style over the theme's", () => {
    const style = "section.diagram { padding: 28px 40px 24px; } section.diagram h2 { font-size: 28px; margin: 0 0 8px; } h2 { line-height: 1.2; } section.diagram img { max-height: 590px; }";
    const markdown = deck(style, ["<!-- _class: diagram -->\n\n## A short title\n\n![View](../diagrams/data-path.png)"]);
    // 720 - 28 - 24 = 668 high, less one line of title (28 × 1.2 + its padding of 0.3 em + 8) = 618.0; 1200 wide.
    expect(measure(markdown, view(2400, 1000))).toEqual([{ slide: 1, kind: "inline", box: { width: 1200, height: 590 }, width: 1200 }]);
    expect(measure(markdown, view(1000, 1000))).toEqual([{ slide: 1, kind: "inline", box: { width: 1200, height: 590 }, width: 590 }]);
    // Without the class, the theme's padding (78.5 px) and the deck's unscoped h2 rule apply.
    const plain = measure(deck("h2 { font-size: 40px; margin-bottom: 10px; }", ["## Title\n\n![View](x.png)"]), view(1000, 1000))[0];
    expect(plain.box.width).toBeCloseTo(1280 - 2 * 78.5);
    expect(plain.box.height).toBeCloseTo(720 - 2 * 78.5 - (40 * 1.25 + 0.3 * 40 + 10));
    // A two-line title leaves less room.
    const long = measure(deck(style, [`<!-- _class: diagram -->\n\n## ${"word ".repeat(20)}\n\n![View](x.png)`]), view(1000, 1000))[0];
    expect(long.box.height).toBeCloseTo(668 - (2 * 28 * 1.2 + 0.3 * 28 + 8));
  });
});
