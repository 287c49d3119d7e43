import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** The presentation in each language: its Marp source, relative to the repository. */
export const SLIDE_DECKS = { en: "docs/presentation/slides.md", "pt-BR": "docs/pt-BR/presentation/slides.md" } as const;

/**
 * The deck's Markdown with every local image (`![...](relative.png)`) inlined as a data URI, so that the rendered
 * HTML is one self-contained file.
 */
export function inlineImages(markdownFile: string): string {
  const markdown = fs.readFileSync(markdownFile, "utf8");
  return markdown.replace(/!\[([^\]]*)\]\((?!data:|https?:)([^)\s]+)\)/g, (_match, alt: string, target: string) => {
    const file = path.resolve(path.dirname(markdownFile), target);
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
