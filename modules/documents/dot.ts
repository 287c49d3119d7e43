/**
 * A small builder of Graphviz DOT text: nodes, edges and nested clusters, with attributes quoted and escaped, in the
 * order they were added (so the same input always gives the same text).
 */

/** Languages the documents are written in. */
export type Language = "en" | "pt-BR";

/** A text in every language of the documents. */
export type Translated = Readonly<Record<Language, string>>;

/** A Graphviz HTML-like label (`<...>`), written as is. */
export interface HtmlLabel {
  readonly html: string;
}

/** `text` broken into lines of about `width` characters, at spaces. */
export function wrap(text: string, width: number): string {
  const lines: string[] = [];
  for (const word of text.split(" ")) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + word.length + 1 <= width) lines[last] = `${lines[last]} ${word}`;
    else lines.push(word);
  }
  return lines.join("\n");
}

/** Attributes of a node, an edge, a cluster or the graph. */
export type Attributes = Readonly<Record<string, string | number | boolean | HtmlLabel | undefined>>;

type Value = string | number | boolean | HtmlLabel;

const quote = (value: Value) =>
  typeof value === "object" ? `<${value.html}>` : `"${String(value).replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

function attributeList(attributes: Attributes): string {
  const entries = Object.entries(attributes).filter((entry): entry is [string, Value] => entry[1] !== undefined);
  return entries.length ? ` [${entries.map(([key, value]) => `${key}=${quote(value)}`).join(", ")}]` : "";
}

/** A cluster (a box around nodes and nested clusters) or the graph itself. */
export class DotScope {
  private readonly lines: string[] = [];

  constructor(private readonly depth: number) {}

  /** Adds a node. */
  node(id: string, attributes: Attributes): this {
    this.lines.push(`${"  ".repeat(this.depth)}${id}${attributeList(attributes)};`);
    return this;
  }

  /** Adds an edge from `from` to `to`. */
  edge(from: string, to: string, attributes: Attributes = {}): this {
    this.lines.push(`${"  ".repeat(this.depth)}${from} -> ${to}${attributeList(attributes)};`);
    return this;
  }

  /** Puts the nodes on the same rank (row or column). */
  sameRank(...ids: string[]): this {
    this.lines.push(`${"  ".repeat(this.depth)}{ rank=same; ${ids.join("; ")}; }`);
    return this;
  }

  /** Adds a nested cluster `cluster_<id>` and fills it. */
  cluster(id: string, attributes: Attributes, fill: (scope: DotScope) => void): this {
    const inner = new DotScope(this.depth + 1);
    fill(inner);
    const indent = "  ".repeat(this.depth);
    const settings = Object.entries(attributes)
      .filter((entry): entry is [string, Value] => entry[1] !== undefined)
      .map(([key, value]) => `${indent}  ${key}=${quote(value)};`);
    this.lines.push(`${indent}subgraph cluster_${id} {`, ...settings, ...inner.lines, `${indent}}`);
    return this;
  }

  /** Lines of this scope. */
  text(): string[] {
    return this.lines;
  }
}

/** A directed graph with default graph, node and edge attributes. */
export function digraph(name: string, defaults: { graph: Attributes; node: Attributes; edge: Attributes }, fill: (scope: DotScope) => void): string {
  const scope = new DotScope(1);
  fill(scope);
  return [
    `digraph ${name} {`,
    `  graph${attributeList(defaults.graph)};`,
    `  node${attributeList(defaults.node)};`,
    `  edge${attributeList(defaults.edge)};`,
    ...scope.text(),
    "}",
    "",
  ].join("\n");
}
