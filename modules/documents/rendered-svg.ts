import { createHash } from "node:crypto";

/** The SVG as committed: Graphviz's output with the SHA-256 of its DOT source, so a test can tell it is current. */
export function renderedSvg(dot: string, svg: string): string {
  return svg.replace(/(<svg\b)/, `<!-- ${dotHashComment(dot)} -->\n$1`);
}

/** The comment naming the DOT source an SVG was rendered from. */
export function dotHashComment(dot: string): string {
  return `rendered from DOT sha256 ${createHash("sha256").update(dot).digest("hex")}`;
}
