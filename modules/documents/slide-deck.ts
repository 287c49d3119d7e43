import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** The presentation in each language: its Marp source, relative to the repository. */
export const SLIDE_DECKS = { en: "docs/presentation/slides.md", "pt-BR": "docs/pt-BR/presentation/slides.md" } as const;

/** The slides of a Marp deck: the text between `---` separators after the front matter. */
export function deckSlides(markdown: string): string[] {
  return markdown
    .replace(/^---\n[\s\S]*?\n---\n/, "")
    .split(/^---$/m)
    .map((slide) => slide.trim());
}

const LOCAL_IMAGE = /!\[([^\]]*)\]\((?!data:|https?:)([^)\s]+)\)/g;

/** The local images (`![...](relative.png)`) of a deck, as written in it. */
export function deckImages(markdown: string): string[] {
  return [...markdown.matchAll(LOCAL_IMAGE)].map((match) => match[2]);
}

/** The deck's local images whose file does not exist (yet). */
export function missingImages(markdownFile: string): string[] {
  return deckImages(fs.readFileSync(markdownFile, "utf8")).filter((target) => !fs.existsSync(path.resolve(path.dirname(markdownFile), target)));
}

/** What stands for an image that is not generated yet: an SVG naming it, so that the HTML is visibly incomplete. */
function placeholderSvg(target: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="500"><rect width="1200" height="500" fill="#fff4e5" stroke="#c0392b" stroke-width="4"/><text x="600" y="260" font-family="sans-serif" font-size="36" text-anchor="middle" fill="#c0392b">missing: ${target.replace(/[<&>]/g, "")}</text></svg>`;
}

/**
 * The deck's Markdown with every local image (`![...](relative.png)`) inlined as a data URI, so that the rendered
 * HTML is one self-contained file. An image not generated yet becomes a placeholder that names it (the presentation
 * test fails while one is missing).
 */
export function inlineImages(markdownFile: string): string {
  const markdown = fs.readFileSync(markdownFile, "utf8");
  return markdown.replace(LOCAL_IMAGE, (_match, alt: string, target: string) => {
    const file = path.resolve(path.dirname(markdownFile), target);
    if (!fs.existsSync(file)) return `![${alt}](data:image/svg+xml;base64,${Buffer.from(placeholderSvg(target)).toString("base64")})`;
    const type = path.extname(file) === ".svg" ? "image/svg+xml" : `image/${path.extname(file).slice(1)}`;
    return `![${alt}](data:${type};base64,${fs.readFileSync(file).toString("base64")})`;
  });
}

/**
 * The comment the rendered HTML carries, naming what it was rendered from: the deck's Markdown with its images
 * inlined, so that a changed diagram makes the HTML stale too.
 */
export function deckHashComment(inlinedMarkdown: string): string {
  return `<!-- rendered from slides.md and its images, sha256 ${createHash("sha256").update(inlinedMarkdown).digest("hex")} -->`;
}
