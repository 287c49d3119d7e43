import { Attributes, DotScope, Language, Translated, digraph } from "./dot";
import { ICON_SIZE, IconKey, iconName } from "./icons";

/**
 * A view: one story of the architecture as a Graphviz graph with AWS icons, whose numbered edges are the steps of a
 * flow table. Every text is large enough to read when the picture fills a 1280-pixel slide (the test of
 * __tests__/docs/diagram-readability.test.ts measures it) and at the size the decks draw it, a split background or
 * under a title (__tests__/docs/diagram-on-slides.test.ts): each view is laid out in the shape of its place on the
 * slide, with few words per node, rather than in a smaller font.
 */

/** Size of every text in the views, in points (the views are kept narrow enough for it to stay ≥ 14 px at 1280 px). */
export const FONT_SIZE = 20;

/** Colours of the flows and of the groups (the AWS Architecture Icons' group colours). */
export const COLOR = {
  step: "#232F3E",
  flow: "#1F5FAD",
  secondary: "#7F7F7F",
  cloud: "#232F3E",
  account: "#E7157B",
  vpc: "#8C4FFF",
  zone: "#147EBA",
  publicSubnet: "#7AA116",
  privateSubnet: "#00A4A6",
  isolatedSubnet: "#147EBA",
  managed: "#9E9E9E",
} as const;

/** One row of a view's flow table. */
export interface FlowStep {
  readonly step: number;
  readonly from: string;
  readonly to: string;
  readonly what: string;
}

/** A generated view: its DOT source and its flow table, in one language. */
export interface GeneratedView {
  readonly dot: string;
  readonly title: string;
  readonly flows: readonly FlowStep[];
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A text that needs no translation (a name, a CIDR, a number), or one in every language. */
export type Text = string | Translated;

/** Builds a view in one language. */
export class ViewBuilder {
  private readonly titles = new Map<string, string>();
  private readonly flows: FlowStep[] = [];

  constructor(readonly language: Language) {}

  say(text: Text): string {
    return typeof text === "string" ? text : text[this.language];
  }

  /** A node: the icon on the left, the title in bold and the detail lines beside it. */
  node(scope: DotScope, id: string, icon: IconKey, title: Text, details: readonly Text[] = [], extra: Attributes = {}): void {
    const name = this.say(title);
    this.titles.set(id, name);
    const lines = details.map((line) => this.say(line));
    const rows = [`<b>${escape(name)}</b>`, ...lines.map(escape)].map((line) => `<tr><td align="left" balign="left">${line}</td></tr>`);
    const image = `<td rowspan="${rows.length}" fixedsize="true" width="${ICON_SIZE + 4}" height="${ICON_SIZE + 4}" valign="middle"><img src="${iconName(icon)}"/></td>`;
    rows[0] = rows[0].replace("<tr>", `<tr>${image}`);
    scope.node(id, { label: { html: `<table border="0" cellspacing="0" cellpadding="3">${rows.join("")}</table>` }, ...extra });
  }

  /** A group (a cluster) with a title in its top-left corner (a line break in the title starts a second line). */
  group(scope: DotScope, id: string, title: Text, color: string, fill: (inner: DotScope) => void, extra: Attributes = {}): void {
    const lines = this.say(title).split("\n").map(escape);
    const label =
      lines.length === 1 ? `<b>${lines[0]}</b>` : `<table border="0" cellpadding="0" cellspacing="0"><tr><td align="left" balign="left"><b>${lines.join('<br align="left"/>')}</b></td></tr></table>`;
    scope.cluster(id, { label: { html: label }, color, fontcolor: color, penwidth: 2, style: "rounded", ...extra }, fill);
  }

  /**
   * A numbered step of the flow: an edge labelled with its number, and a row of the table. `reverse` lays the edge
   * out from `to` to `from` (the arrow still points to `to`), to keep a loop from crossing itself; `labelAt: "tail"`
   * puts the number next to `from` rather than mid-edge (where it could sit on a group's border); `note` writes a few
   * words beside the number.
   */
  step(scope: DotScope, step: number, from: string, to: string, what: Text, extra: Attributes & { reverse?: boolean; labelAt?: "tail" } = {}, note?: Text): void {
    this.flows.push({ step, from: this.title(from), to: this.title(to), what: this.say(what) });
    const { reverse, labelAt, ...attributes } = extra;
    const number = `<table border="0" cellpadding="2" bgcolor="${COLOR.step}" style="rounded"><tr><td><font color="white"><b> ${step} </b></font></td></tr></table>`;
    // A note beside the number says what kind of edge it is (the AWS side of a service, say).
    const pill = {
      html: note === undefined ? number : `<table border="0" cellspacing="0" cellpadding="0"><tr><td>${number}</td><td> ${escape(this.say(note))}</td></tr></table>`,
    };
    const [tail, head] = reverse ? [to, from] : [from, to];
    scope.edge(tail, head, {
      ...(labelAt === "tail" ? { taillabel: pill, labeldistance: 2.5, labelangle: 30 } : { label: pill }),
      color: COLOR.flow,
      ...(reverse ? { dir: "back" } : {}),
      ...attributes,
    });
  }

  /** Several edges of the same step (one per zone, say): one row of the table. */
  steps(scope: DotScope, step: number, pairs: readonly (readonly [string, string])[], from: Text, to: Text, what: Text, extra: Attributes = {}): void {
    for (const [source, target] of pairs) {
      scope.edge(source, target, {
        label: { html: `<table border="0" cellpadding="2" bgcolor="${COLOR.step}" style="rounded"><tr><td><font color="white"><b> ${step} </b></font></td></tr></table>` },
        color: COLOR.flow,
        ...extra,
      });
    }
    this.flows.push({ step, from: this.say(from), to: this.say(to), what: this.say(what) });
  }

  private title(id: string): string {
    const found = this.titles.get(id);
    if (found === undefined) throw new Error(`view: a step refers to the undeclared node ${id}`);
    return found;
  }

  /** The view: its DOT (the title on top) and its table, steps in order. */
  build(name: string, title: Text, rankdir: "TB" | "LR", fill: (graph: DotScope) => void, graphExtra: Attributes = {}): GeneratedView {
    const heading = this.say(title);
    const dot = digraph(
      name.replace(/-/g, "_"),
      {
        graph: {
          rankdir,
          fontname: "DejaVu Sans",
          fontsize: FONT_SIZE,
          labeljust: "l",
          labelloc: "t",
          label: { html: `<b>${escape(heading)}</b>` },
          nodesep: 0.35,
          ranksep: 0.5,
          newrank: true,
          compound: true,
          pad: 0.2,
          ...graphExtra,
        },
        node: { shape: "plain", fontname: "DejaVu Sans", fontsize: FONT_SIZE },
        edge: { fontname: "DejaVu Sans", fontsize: FONT_SIZE, penwidth: 2.5, arrowsize: 0.9 },
      },
      fill,
    );
    const flows = [...this.flows].sort((a, b) => a.step - b.step);
    return { dot, title: heading, flows };
  }
}
