/**
 * Checks of the rendered views, used by the tests: how large each label is when the SVG is shown at a given width,
 * and which labels of a translation were left in the original language.
 */

/** One text of an SVG and its font size, in pixels, when the SVG is shown `width` pixels wide. */
export interface LabelSize {
  readonly text: string;
  readonly px: number;
}

const decode = (text: string) =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, "&");

/** The scale a `transform` attribute applies to lengths (scale and matrix; translate and rotate do not change sizes). */
function transformScale(transform: string | undefined): number {
  if (!transform) return 1;
  let factor = 1;
  for (const [, name, args] of transform.matchAll(/(\w+)\s*\(([^)]*)\)/g)) {
    const values = args.split(/[\s,]+/).filter(Boolean).map(Number);
    if (name === "scale") factor *= Math.sqrt(Math.abs(values[0] * (values[1] ?? values[0])));
    if (name === "matrix") factor *= Math.sqrt(Math.abs(values[0] * values[3] - values[1] * values[2]));
  }
  return factor;
}

const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/**
 * The font size of every `<text>` of `svg` when the SVG is shown `width` pixels wide: its font-size attribute, times
 * the scale of every enclosing element's transform, times `width` over the width of the viewBox.
 */
export function labelSizesAt(svg: string, width: number): LabelSize[] {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0];
  if (!root) throw new Error("not an SVG");
  const viewBox = attribute(root, "viewBox")?.split(/[\s,]+/).map(Number);
  const viewWidth = viewBox ? viewBox[2] : Number.parseFloat(attribute(root, "width") ?? "NaN");
  const toPixels = width / viewWidth;
  const scales: number[] = [transformScale(attribute(root, "transform"))];
  const sizes: LabelSize[] = [];
  // Tags in document order: opening tags push their transform's scale, closing tags pop it.
  const body = svg.slice(svg.indexOf(root) + root.length);
  for (const match of body.matchAll(/<(\/?)([a-zA-Z][\w:-]*)([^>]*?)(\/?)>|([^<]+)/g)) {
    const [, closing, name, rest, selfClosing] = match;
    if (match[5] !== undefined) continue;
    if (closing) {
      scales.pop();
      continue;
    }
    const scale = scales[scales.length - 1] * transformScale(attribute(` ${rest}`, "transform"));
    if (name === "text") {
      const end = body.indexOf("</text>", match.index);
      const content = decode(body.slice(match.index + match[0].length, end).replace(/<[^>]+>/g, "")).trim();
      const fontSize = Number.parseFloat(attribute(` ${rest}`, "font-size") ?? "16");
      if (content) sizes.push({ text: content, px: fontSize * scale * toPixels });
    }
    if (!selfClosing) scales.push(scale);
  }
  return sizes;
}

/**
 * The labels of `translated` (one per node, edge or cluster id of a DOT source) equal to the same element's label in
 * `original`, line by line, that are not made only of names that stay the same in every language (`keep`: service
 * and resource names, CIDRs, numbers).
 */
export function untranslatedLines(original: string, translated: string, keep: readonly (string | RegExp)[]): string[] {
  const labels = (dot: string) => {
    const found = new Map<string, string[]>();
    for (const [, id, label] of dot.matchAll(/^\s*(\w+(?: -> \w+)?) \[label=<(.*?)>(?:, |\])/gm)) found.set(id, lines(label));
    for (const [, id, label] of dot.matchAll(/subgraph (cluster_\w+) \{\n\s*label=<(.*?)>;/g)) found.set(id, lines(label));
    const title = /^\s*graph \[.*?label=<(.*?)>(?:, \w+=|\];)/m.exec(dot);
    if (title) found.set("graph", lines(title[1]));
    return found;
  };
  const english = labels(original);
  const left: string[] = [];
  for (const [id, translatedLines] of labels(translated)) {
    const originalLines = english.get(id) ?? [];
    translatedLines.forEach((line, index) => {
      if (line !== originalLines[index]) return;
      let rest = line;
      for (const name of keep) rest = typeof name === "string" ? rest.split(name).join(" ") : rest.replace(new RegExp(name.source, `${name.flags.replace("g", "")}g`), " ");
      if (/\p{L}{2,}/u.test(rest.replace(/[\s\p{P}\p{S}\d]+/gu, " "))) left.push(`${id}: "${line}"`);
    });
  }
  return left;
}

function lines(html: string): string[] {
  return html
    .split(/<tr>|<br\/?>/)
    .map((line) => decode(line.replace(/<[^>]+>/g, "")).trim())
    .filter(Boolean);
}

interface Box {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

const inside = (box: Box, x: number, y: number) => x > box.left && x < box.right && y > box.top && y < box.bottom;
const intersects = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
const contains = (outer: Box, inner: Box) => inner.left >= outer.left && inner.right <= outer.right && inner.top >= outer.top && inner.bottom <= outer.bottom;

function pathBox(d: string): Box {
  const numbers = [...d.matchAll(/-?\d+(?:\.\d+)?/g)].map((match) => Number(match[0]));
  const xs = numbers.filter((_, index) => index % 2 === 0);
  const ys = numbers.filter((_, index) => index % 2 === 1);
  return { left: Math.min(...xs), top: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys) };
}

/** Points along a Graphviz edge path (`M x,y C x1,y1 x2,y2 x3,y3 ...`), 20 per cubic segment. */
function pathPoints(d: string): [number, number][] {
  const numbers = [...d.matchAll(/-?\d+(?:\.\d+)?/g)].map((match) => Number(match[0]));
  const points: [number, number][] = [];
  for (let index = 0; index + 1 < numbers.length; index += 2) points.push([numbers[index], numbers[index + 1]]);
  const samples: [number, number][] = [];
  for (let start = 0; start + 3 < points.length; start += 3) {
    const [p0, p1, p2, p3] = points.slice(start, start + 4);
    for (let step = 0; step <= 20; step++) {
      const t = step / 20;
      const u = 1 - t;
      samples.push([0, 1].map((axis) => u * u * u * p0[axis] + 3 * u * u * t * p1[axis] + 3 * u * t * t * p2[axis] + t * t * t * p3[axis]) as [number, number]);
    }
  }
  return samples;
}

/** The box a Graphviz `<text>` occupies, from its position, anchor, size and length (DejaVu Sans's average advance). */
function textBox(tag: string, content: string): Box {
  const size = Number.parseFloat(attribute(tag, "font-size") ?? "14");
  const width = content.length * size * (attribute(tag, "font-weight") === "bold" ? 0.58 : 0.54);
  const x = Number(attribute(tag, "x"));
  const y = Number(attribute(tag, "y"));
  const anchor = attribute(tag, "text-anchor") ?? "start";
  const left = anchor === "middle" ? x - width / 2 : anchor === "end" ? x - width : x;
  return { left, right: left + width, top: y - 0.72 * size, bottom: y + 0.18 * size };
}

/**
 * What a reader would see as a defect in a view rendered by Graphviz: an edge drawn through a text (a node's, a
 * group's title, another edge's number), and an edge's number sitting on a group's border or on a text. Texts are
 * measured from their length, so the check is approximate by a few points.
 */
export function layoutProblems(svg: string): string[] {
  const groups = [...svg.matchAll(/<g id="[^"]*" class="(cluster|node|edge)">\s*<title>([\s\S]*?)<\/title>([\s\S]*?)<\/g>/g)].map(([, kind, title, body]) => ({
    kind,
    name: decode(title),
    texts: [...body.matchAll(/(<text\b[^>]*>)([\s\S]*?)<\/text>/g)]
      .map(([, tag, content]) => ({ content: decode(content).trim(), box: textBox(` ${tag}`, decode(content).trim()) }))
      .filter((text) => text.content),
    lines: kind === "edge" ? [...body.matchAll(/<path fill="none"[^>]*\sd="([^"]+)"/g)].map((match) => pathPoints(match[1])) : [],
    pills: kind === "edge" ? [...body.matchAll(/<path fill="#232f3e"[^>]*\sd="([^"]+)"/g)].map((match) => pathBox(match[1])) : [],
    border: kind === "cluster" ? pathBox(/<path\b[^>]*\sd="([^"]+)"/.exec(body)?.[1] ?? "M0,0") : undefined,
  }));
  const problems: string[] = [];
  for (const edge of groups.filter((group) => group.kind === "edge")) {
    for (const other of groups.filter((group) => group !== edge)) {
      for (const text of other.texts) {
        const box = { left: text.box.left + 4, right: text.box.right - 4, top: text.box.top + 2, bottom: text.box.bottom - 2 };
        if (edge.lines.some((points) => points.some(([x, y]) => inside(box, x, y)))) problems.push(`the edge ${edge.name} crosses "${text.content}"`);
        if (edge.pills.some((pill) => intersects(pill, box))) problems.push(`the label of ${edge.name} covers "${text.content}"`);
      }
      const labels = [...edge.pills, ...edge.texts.map((text) => text.box)];
      if (other.border && labels.some((label) => intersects(label, other.border!) && !contains(other.border!, label))) {
        problems.push(`the label of ${edge.name} sits on the border of ${other.name}`);
      }
    }
  }
  return [...new Set(problems)];
}

/**
 * The edges of a rendered view that leave the node `from` and are drawn into the group `cluster` (`cluster_vpc`):
 * a point of their line or of their arrowhead more than `margin` units inside the group's box. An edge that ends on
 * the group's border (Graphviz's `lhead`) does not enter it.
 */
export function edgesInto(svg: string, from: string, cluster: string, margin = 2): string[] {
  const border = [...svg.matchAll(/<g id="[^"]*" class="cluster">\s*<title>([\s\S]*?)<\/title>([\s\S]*?)<\/g>/g)]
    .filter(([, title]) => decode(title) === cluster)
    .map(([, , body]) => pathBox(/<path\b[^>]*\sd="([^"]+)"/.exec(body)?.[1] ?? "M0,0"))[0];
  if (!border) throw new Error(`no group ${cluster} in the view`);
  const within = { left: border.left + margin, top: border.top + margin, right: border.right - margin, bottom: border.bottom - margin };
  const entering: string[] = [];
  for (const [, title, body] of svg.matchAll(/<g id="[^"]*" class="edge">\s*<title>([\s\S]*?)<\/title>([\s\S]*?)<\/g>/g)) {
    const name = decode(title);
    if (!name.startsWith(`${from}->`) && !name.endsWith(`->${from}`)) continue;
    const lines = [...body.matchAll(/<path fill="none"[^>]*\sd="([^"]+)"/g)].flatMap((match) => pathPoints(match[1]));
    const heads = [...body.matchAll(/<polygon\b[^>]*\spoints="([^"]+)"/g)].flatMap((match) =>
      match[1].trim().split(/\s+/).map((point) => point.split(",").map(Number) as [number, number]),
    );
    if ([...lines, ...heads].some(([x, y]) => inside(within, x, y))) entering.push(name);
  }
  return entering;
}
