import * as fs from "node:fs";
import * as path from "node:path";
import { DIAGRAMS, DIAGRAM_DIRECTORIES } from "../../modules/documents/diagram-sources";
import { labelSizesAt, layoutProblems, untranslatedLines } from "../../modules/documents/diagram-checks";
import { SynthesizedJson, environmentFacts } from "../../modules/documents/environment-facts";
import { ENVIRONMENTS } from "../helpers/environments";
import { synthesizedStacks } from "../helpers/synth";

const ROOT = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const files = Object.values(DIAGRAM_DIRECTORIES).flatMap((directory) => DIAGRAMS.map((diagram) => `${directory}/${diagram}`));

/** Width of a slide, in pixels, and the smallest label readable on it. */
const SLIDE_WIDTH = 1280;
const MIN_PX = 14;

/** The labels under MIN_PX when `svg` is shown SLIDE_WIDTH pixels wide, with their size. */
const tooSmall = (svg: string) =>
  labelSizesAt(svg, SLIDE_WIDTH)
    .filter((label) => label.px < MIN_PX)
    .map((label) => `"${label.text}" at ${label.px.toFixed(1)} px`);

/**
 * Lines that stay the same in both languages: AWS service and feature names, the names of resources, and words
 * Brazilian engineers use in English. Anything else left identical in the pt-BR view is untranslated.
 */
const SAME_IN_BOTH: readonly (string | RegExp)[] = [
  "Amazon", "AWS", "Route 53", "EventBridge", "Step Functions", "Lambda", "SQS", "SNS", "S3", "RDS", "Proxy", "PostgreSQL", "Redshift",
  "Data API", "WAF", "Application Load Balancer", "ALB", "ACM", "HTTPS", "IAM", "CloudTrail", "Config", "GuardDuty", "Security Hub",
  "CloudWatch", "Karpenter", "Session Manager", "GitHub", "ECS Fargate", "EKS", "VPC", "NAT", "Internet gateway", "DynamoDB",
  "pull request", "pods", "dashboards", "Atlantis planner", "Atlantis applier", "Multi-AZ", "vCPU", "Stacks", "API", "ECR", "Batch",
  "front-end", "permissions", "boundary", "endpoints", "ECS",
  // Names of the environment's resources (queues, compute environments, buckets, workloads).
  ...(() => {
    const prod = ENVIRONMENTS.find((env) => env.tier === "production")!;
    const facts = environmentFacts(prod, synthesizedStacks(prod.name) as Record<string, SynthesizedJson>);
    return [...facts.queues.map((queue) => queue.name), ...facts.computeEnvironments.map((ce) => ce.name), ...facts.buckets, ...facts.workloads, facts.interruptionQueue];
  })().map((name) => new RegExp(`\\b${name}\\b`)),
  /[\w<>]*[-./\d<>×≤·:][\w<>./-]*/, // names with a hyphen, dot, slash or digit: resources, CIDRs, zones, sizes
];

describe("the views at slide size", () => {
  it.each(files)(`%s.svg: every label is at least ${MIN_PX} px when the picture is ${SLIDE_WIDTH} px wide`, (file) => {
    const sizes = labelSizesAt(read(`${file}.svg`), SLIDE_WIDTH);
    expect(sizes.length).toBeGreaterThan(5);
    expect(tooSmall(read(`${file}.svg`))).toEqual([]);
  });

  it("the measure counts the viewBox and every enclosing scale, and names the label that is too small", () => {
    const svg = (width: number, transform: string, size: number) =>
      `<svg width="${width}pt" viewBox="0 0 ${width} 100"><g transform="${transform}"><text font-size="${size}">Batch compute</text><image xlink:href="data:x"/></g></svg>`;
    expect(tooSmall(svg(1280, "scale(1 1) translate(4 96)", 14))).toEqual([]);
    // 20 pt in a picture 2560 units wide: 10 px on the slide.
    expect(tooSmall(svg(2560, "scale(1 1)", 20))).toEqual(['"Batch compute" at 10.0 px']);
    // Halved by a transform.
    expect(tooSmall(svg(1280, "scale(0.5) rotate(0)", 20))).toEqual(['"Batch compute" at 10.0 px']);
    expect(labelSizesAt(`<svg viewBox="0 0 640 10"><g transform="scale(2)"><g><text font-size="10">a</text></g></g><text font-size="10">b</text></svg>`, 1280)).toEqual([
      { text: "a", px: 40 },
      { text: "b", px: 20 },
    ]);
  });
});

describe("the views' layout", () => {
  it.each(files)("%s.svg: no edge runs through a text, no edge number sits on a group's border or a text", (file) => {
    expect(layoutProblems(read(`${file}.svg`))).toEqual([]);
  });

  it("the check finds an edge through a group's title and a number on a border", () => {
    const svg = (edge: string, pill: string, numberX: number) =>
      [
        `<svg viewBox="0 0 400 300"><g id="graph0" class="graph" transform="scale(1 1) rotate(0) translate(4 296)">`,
        `<g id="clust1" class="cluster">\n<title>cluster_vpc</title>`,
        `<path fill="none" stroke="#8c4fff" d="M10,-10C10,-10 300,-10 300,-10 300,-10 300,-200 300,-200 300,-200 10,-200 10,-200 10,-200 10,-10 10,-10"/>`,
        `<text text-anchor="start" x="18" y="-180" font-weight="bold" font-size="20.00">VPC 10.40.0.0/16</text>\n</g>`,
        `<g id="edge1" class="edge">\n<title>users&#45;&gt;igw</title>`,
        `<path fill="none" stroke="#1f5fad" d="${edge}"/>`,
        `<path fill="#232f3e" stroke="none" d="${pill}"/>`,
        `<text text-anchor="start" x="${numberX}" y="-132" font-weight="bold" font-size="20.00" fill="white"> 2 </text>\n</g>`,
        `</g></svg>`,
      ].join("\n");
    // A vertical edge at x = 350, outside the group, its number beside it: nothing to say.
    expect(layoutProblems(svg("M350,-290C350,-200 350,-100 350,-20", "M355,-150C355,-150 380,-150 380,-150 380,-150 380,-125 380,-125 380,-125 355,-125 355,-125", 358))).toEqual([]);
    // Through the title, its number on the group's right border.
    expect(layoutProblems(svg("M80,-290C80,-200 80,-150 80,-100", "M290,-150C290,-150 315,-150 315,-150 315,-150 315,-125 315,-125 315,-125 290,-125 290,-125", 293))).toEqual([
      'the edge users->igw crosses "VPC 10.40.0.0/16"',
      "the label of users->igw sits on the border of cluster_vpc",
    ]);
  });
});

describe("the pt-BR views", () => {
  it.each(DIAGRAMS)("%s: every label is translated, except the names that stay the same", (diagram) => {
    const english = read(`${DIAGRAM_DIRECTORIES.en}/${diagram}.dot`);
    const portuguese = read(`${DIAGRAM_DIRECTORIES["pt-BR"]}/${diagram}.dot`);
    expect(untranslatedLines(english, portuguese, SAME_IN_BOTH)).toEqual([]);
    const table = (page: string) => [...page.matchAll(/^\| \d+ \| .* \| (.*) \|$/gm)].map((match) => match[1]);
    const [tableEn, tablePt] = [read(`${DIAGRAM_DIRECTORIES.en}/${diagram}.md`), read(`${DIAGRAM_DIRECTORIES["pt-BR"]}/${diagram}.md`)].map(table);
    tablePt.forEach((what, index) => expect(what).not.toBe(tableEn[index]));
  });

  it("the check finds a label left in English, like the former Compute environments and AnalysisSucceeded / Failed", () => {
    const dot = (label: string) => `digraph x {\n  graph [label=<<b>t</b>>];\n  compute [label=<<table><tr><td><b>${label}</b></td></tr><tr><td>≤ 2048 vCPU</td></tr></table>>];\n}\n`;
    expect(untranslatedLines(dot("Compute environments"), dot("Compute environments"), SAME_IN_BOTH)).toEqual(['compute: "Compute environments"']);
    expect(untranslatedLines(dot("G AnalysisSucceeded / Failed"), dot("G AnalysisSucceeded / Failed"), SAME_IN_BOTH)).toEqual(['compute: "G AnalysisSucceeded / Failed"']);
    expect(untranslatedLines(dot("Batch compute"), dot("Computação do Batch"), SAME_IN_BOTH)).toEqual([]);
    expect(untranslatedLines(dot("Amazon SQS"), dot("Amazon SQS"), SAME_IN_BOTH)).toEqual([]);
    const titled = (title: string) => `digraph x {\n  graph [rankdir="TB", label=<<b>${title}</b>>, nodesep="0.35"];\n}\n`;
    expect(untranslatedLines(titled("Request path — prod"), titled("Request path — prod"), SAME_IN_BOTH)).toEqual(['graph: "Request path — prod"']);
    expect(untranslatedLines(titled("Request path — prod"), titled("Caminho da requisição — prod"), SAME_IN_BOTH)).toEqual([]);
  });
});
