import { GUARDRAIL_RULES } from "../../modules/guardrails/rules";
import * as fs from "node:fs";
import * as path from "node:path";
import { SLIDE_DECKS, deckHashComment, inlineImages } from "../../modules/documents/slide-deck";

const ROOT = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** The slides of a Marp deck: the text between `---` separators after the front matter. */
function slides(markdown: string): string[] {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, "");
  return body.split(/^---$/m).map((slide) => slide.trim());
}

/** What must be the same in every language: heading level, images, code, table rows, notes present. */
function shape(slide: string) {
  return {
    heading: slide.match(/^#+ /m)?.[0].trim(),
    images: [...slide.matchAll(/!\[([^\]]*)\]\(([^)]+)\)/g)].map((match) => `${match[1]} ${path.basename(match[2])}`),
    code: [...slide.matchAll(/```[\s\S]*?```/g)].map((match) => match[0]),
    tableRows: slide.split("\n").filter((line) => line.trim().startsWith("|")).length,
    notes: /<!--[\s\S]*?-->\s*$/.test(slide),
  };
}

describe.each(Object.entries(SLIDE_DECKS))("the presentation (%s)", (_language, deck) => {
  const markdown = read(deck);
  const deckSlides = slides(markdown);

  it("is a Marp deck of 20 to 30 slides, each with a heading and speaker notes", () => {
    expect(markdown.startsWith("---\nmarp: true\n")).toBe(true);
    expect(deckSlides.length).toBeGreaterThanOrEqual(20);
    expect(deckSlides.length).toBeLessThanOrEqual(30);
    for (const [index, slide] of deckSlides.entries()) {
      expect([index + 1, shape(slide).heading !== undefined, shape(slide).notes]).toEqual([index + 1, true, true]);
    }
  });

  it("states the guardrail catalogue's size as the code has it", () => {
    const counts = [...markdown.matchAll(/\b(\d+) (?:rules|regras)\b/g)].map((match) => Number(match[1]));
    expect(counts.length).toBeGreaterThan(0);
    expect(new Set(counts)).toEqual(new Set([GUARDRAIL_RULES.length]));
  });

  it("shows the generated diagrams, which exist", () => {
    const images = [...markdown.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((match) => path.resolve(path.dirname(path.join(ROOT, deck)), match[1]));
    expect(images.map((image) => path.basename(image)).sort()).toEqual(["architecture.png", "stacks.png"]);
    for (const image of images) expect(fs.existsSync(image)).toBe(true);
  });

  it("is rendered to a self-contained HTML file from the current Markdown (run `npm run generate` and commit when this fails)", () => {
    const html = read(deck.replace(/\.md$/, ".html"));
    expect(html.startsWith(deckHashComment(inlineImages(path.join(ROOT, deck))))).toBe(true);
    expect(html).toContain("data:image/png;base64,");
    expect(html).not.toMatch(/src="\.\.?\//);
    expect(html.match(/<section\b/g)?.length).toBeGreaterThanOrEqual(deckSlides.length);
  });
});

describe("the Portuguese presentation", () => {
  it("has the same slides as the English one: headings, images, code, tables and notes", () => {
    const english = slides(read(SLIDE_DECKS.en)).map(shape);
    const portuguese = slides(read(SLIDE_DECKS["pt-BR"])).map(shape);
    expect(portuguese).toEqual(english);
  });
});
