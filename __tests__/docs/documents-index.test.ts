import * as fs from "node:fs";
import * as path from "node:path";
import { DIAGRAMS, DIAGRAM_DIRECTORIES } from "../../modules/documents/diagram-sources";
import { SLIDE_DECKS } from "../../modules/documents/slide-deck";

const ROOT = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const GUIDES = ["docs/provisioning.md", "docs/pt-BR/provisioning.md"];

/** The repository paths a Markdown file links to (relative links only, anchors dropped). */
function links(file: string): string[] {
  return [...read(file).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1].split("#")[0])
    .filter((target) => target !== "" && !/^[a-z]+:/.test(target))
    .map((target) => path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), target)));
}

describe.each(["README.md", "docs/README.md"])("the documents index in %s", (file) => {
  const linked = links(file);

  it("links every diagram view's page, the deck and the guide, in both languages", () => {
    const views = Object.values(DIAGRAM_DIRECTORIES).flatMap((directory) => DIAGRAMS.map((view) => `${directory}/${view}.md`));
    const decks = Object.values(SLIDE_DECKS).map((deck) => deck.replace(/\.md$/, ".html"));
    expect(views.length).toBeGreaterThanOrEqual(12);
    expect([...views, ...decks, ...GUIDES].filter((document) => !linked.includes(document))).toEqual([]);
  });

  it("links only files that exist", () => {
    expect(linked.filter((target) => !fs.existsSync(path.join(ROOT, target)))).toEqual([]);
  });
});
