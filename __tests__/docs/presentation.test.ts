import { GUARDRAIL_RULES } from "../../modules/guardrails/rules";
import * as fs from "node:fs";
import * as path from "node:path";
import { DIAGRAMS, DIAGRAM_DIRECTORIES } from "../../modules/documents/diagram-sources";
import { SLIDE_DECKS, deckHashComment, deckImages, deckSlides as slides, inlineImages } from "../../modules/documents/slide-deck";

const ROOT = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");


/** The slide's title: its first heading's text. */
const title = (slide: string) => slide.match(/^#+ (.+)$/m)?.[1];

/** The slide's speaker notes: its last HTML comment, when the slide ends with it (Marp directives aside). */
const notes = (slide: string) => slide.match(/<!--(?!\s*_)([\s\S]*?)-->\s*$/)?.[1].trim() ?? "";

/** The index of the appendix's divider: the slide whose title is a level-1 "Appendix" (or "Apêndice"). */
const appendixIndex = (deckSlides: string[]) => deckSlides.findIndex((slide) => /^# (Appendix|Apêndice)\s*$/m.test(slide));

/** What must be the same in every language: heading level, images, code, table rows, notes present, classes. */
function shape(slide: string) {
  return {
    heading: slide.match(/^#+ /m)?.[0].trim(),
    images: deckImages(slide).map((image) => path.basename(image)),
    code: [...slide.matchAll(/```[\s\S]*?```/g)].map((match) => match[0]),
    tableRows: slide.split("\n").filter((line) => line.trim().startsWith("|")).length,
    notes: notes(slide).length > 0,
    directives: [...slide.matchAll(/<!--\s*(_\w+:[^>]*?)\s*-->/g)].map((match) => match[1]),
  };
}

describe.each(Object.entries(SLIDE_DECKS))("the presentation (%s)", (language, deck) => {
  const markdown = read(deck);
  const deckSlides = slides(markdown);
  const appendix = appendixIndex(deckSlides);

  it("is a Marp deck of 12 to 16 main slides for a 20-30 minute slot, then an appendix", () => {
    expect(markdown.startsWith("---\nmarp: true\n")).toBe(true);
    expect(appendix).toBeGreaterThanOrEqual(12);
    expect(appendix).toBeLessThanOrEqual(16);
    expect(deckSlides.length - appendix - 1).toBeGreaterThan(0);
  });

  it("gives every slide a title and speaker notes, and every main slide a claim for a title, not a topic", () => {
    for (const [index, slide] of deckSlides.entries()) {
      expect([index + 1, title(slide) !== undefined, notes(slide).split(/\s+/).length >= 8]).toEqual([index + 1, true, true]);
    }
    // A claim says something about its topic: a sentence of at least eight words (the appendix's divider aside).
    const shortTitles = deckSlides.slice(0, appendix).filter((slide) => title(slide)!.split(/\s+/).length < 8);
    expect(shortTitles.map(title)).toEqual([]);
  });

  it("keeps the body of each main slide short enough to read: at most 90 words besides the title, tables and notes", () => {
    const wordy = deckSlides.slice(0, appendix).map((slide) => {
      const body = slide
        .replace(/<!--[\s\S]*?-->|<style>[\s\S]*?<\/style>/g, "")
        .replace(/^#+ .*$/m, "")
        .split("\n")
        .filter((line) => !line.trim().startsWith("|") && !line.startsWith("!["))
        .join(" ");
      return { title: title(slide), words: body.split(/\s+/).filter(Boolean).length };
    });
    expect(wordy.filter((slide) => slide.words > 90)).toEqual([]);
  });

  it("states the guardrail catalogue's size as the code has it", () => {
    const counts = [...markdown.matchAll(/\b(\d+) (?:guardrail rules|regras de guardrail)\b/g)].map((match) => Number(match[1]));
    expect(counts.length).toBeGreaterThan(0);
    expect(new Set(counts)).toEqual(new Set([GUARDRAIL_RULES.length]));
  });

  // Waits for the diagram views (modules/documents/diagram-sources.ts, `npm run docs:diagram`): fails while one is missing.
  it("shows every diagram view once, from its language's diagrams, and each exists", () => {
    const images = deckImages(markdown);
    const directory = path.join(ROOT, DIAGRAM_DIRECTORIES[language as keyof typeof DIAGRAM_DIRECTORIES]);
    expect(images.map((image) => path.resolve(path.dirname(path.join(ROOT, deck)), image)).sort()).toEqual(DIAGRAMS.map((name) => path.join(directory, `${name}.png`)).sort());
    expect(images.filter((image) => !fs.existsSync(path.resolve(path.dirname(path.join(ROOT, deck)), image)))).toEqual([]);
  });

  it("is rendered to a self-contained HTML file from the current Markdown (run `npm run docs:slides` and commit when this fails)", () => {
    const html = read(deck.replace(/\.md$/, ".html"));
    expect(html.startsWith(deckHashComment(inlineImages(path.join(ROOT, deck))))).toBe(true);
    expect(html).toContain("data:image/png;base64,");
    expect(html).not.toMatch(/src="\.\.?\//);
    // Two dollar amounts in one line must not turn into math (Marp reads `$…$` as TeX when no space follows the `$`).
    expect(html).not.toMatch(/<mjx-container|class="katex/);
    expect(html.match(/<section\b/g)?.length).toBeGreaterThanOrEqual(deckSlides.length);
  });
});

describe("the Portuguese presentation", () => {
  it("has the same slides as the English one: headings, images, code, tables, notes and layout", () => {
    const english = slides(read(SLIDE_DECKS.en)).map(shape);
    const portuguese = slides(read(SLIDE_DECKS["pt-BR"])).map(shape);
    expect(portuguese).toEqual(english);
  });
});
