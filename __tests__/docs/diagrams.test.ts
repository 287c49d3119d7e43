import * as fs from "node:fs";
import * as path from "node:path";
import { DIAGRAMS, DIAGRAM_DIRECTORIES, diagramSources } from "../../modules/documents/diagram-sources";
import { edgesInto } from "../../modules/documents/diagram-checks";
import { environmentFacts, SynthesizedJson } from "../../modules/documents/environment-facts";
import { ICONS, iconsUsed } from "../../modules/documents/icons";
import { dotHashComment } from "../../modules/documents/rendered-svg";
import { ENVIRONMENT_INPUTS, loadEnvironments } from "../../environments";
import { ENVIRONMENTS, TOOLING, environment } from "../helpers/environments";
import { synthesizedStacks } from "../helpers/synth";

const ROOT = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const files = Object.values(DIAGRAM_DIRECTORIES).flatMap((directory) => DIAGRAMS.map((diagram) => `${directory}/${diagram}`));
/** Node ids and edges of a DOT text: its structure, whatever the language of its labels. */
const structure = (dot: string) => [...dot.matchAll(/^\s*(\w+)(?: -> (\w+))? \[/gm)].map((match) => match.slice(1).filter(Boolean).join(" -> "));
/** The step numbers drawn on a DOT text's edges. */
const drawnSteps = (dot: string) => [...new Set([...dot.matchAll(/<b> (\d+) <\/b>/g)].map((match) => Number(match[1])))].sort((a, b) => a - b);
/** The step numbers of a page's flow table. */
const tableSteps = (page: string) => [...page.matchAll(/^\| (\d+) \|/gm)].map((match) => Number(match[1]));

describe("the diagrams", () => {
  const sources = diagramSources(process.env.PROTEOMICS_SYNTH_DIR!, loadEnvironments(ENVIRONMENT_INPUTS));

  it("are the six views, in both languages, and nothing else", () => {
    expect(DIAGRAMS).toEqual(["request-path", "analysis-path", "data-path", "security-operations", "delivery", "stacks"]);
    for (const directory of Object.values(DIAGRAM_DIRECTORIES)) {
      const committed = fs.readdirSync(path.join(ROOT, directory)).filter((file) => file !== "CREDITS.md");
      expect(committed.sort()).toEqual(DIAGRAMS.flatMap((diagram) => ["dot", "md", "png", "svg"].map((extension) => `${diagram}.${extension}`)).sort());
    }
  });

  it.each(Object.keys(sources))("%s is what `npm run docs:diagram` generates from the stacks now (run it and commit when this fails)", (file) => {
    expect(read(file)).toBe(sources[file]);
  });

  it.each(files)("%s.svg and .png are rendered from the committed source, self-contained, slide-shaped", (file) => {
    const svg = read(`${file}.svg`);
    expect(svg).toContain(dotHashComment(read(`${file}.dot`)));
    expect(svg).toMatch(/<svg[\s\S]*<\/svg>\s*$/);
    // The icons are embedded: no reference to another file is left.
    expect(svg).not.toMatch(/xlink:href="(?!data:image\/svg\+xml;base64,)/);
    expect(svg).toContain("data:image/svg+xml;base64,");
    const png = fs.readFileSync(path.join(ROOT, `${file}.png`));
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    // Slide-sized: 2400 pixels wide, no taller than wide.
    expect(width).toBe(2400);
    expect(height).toBeLessThanOrEqual(width);
  });

  it.each(files)("%s draws AWS icons, each credited", (file) => {
    const used = iconsUsed(read(`${file}.dot`));
    expect(used.length).toBeGreaterThanOrEqual(4);
    const credits = read(`${DIAGRAM_DIRECTORIES.en}/CREDITS.md`);
    expect(credits).toContain("AWS Architecture Icons");
    expect(credits).toMatch(/trademarks of Amazon\.com/);
    for (const icon of used) {
      expect(Object.values(ICONS)).toContain(icon);
      expect(credits).toContain(`\`${icon}\``);
    }
    expect(read(`${file}.md`)).toContain("CREDITS.md");
  });

  it.each(files)("%s: every numbered edge has its row in the flow table beside the picture, numbered 1, 2, 3...", (file) => {
    const page = read(`${file}.md`);
    const steps = tableSteps(page);
    expect(steps).toEqual(drawnSteps(read(`${file}.dot`)));
    expect(steps).toEqual(steps.map((_, index) => index + 1));
    expect(page).toContain(`![`);
    expect(page).toContain(`(${path.basename(file)}.png)`);
  });

  it("say the same thing in both languages", () => {
    for (const diagram of DIAGRAMS) {
      const english = read(`${DIAGRAM_DIRECTORIES.en}/${diagram}.dot`);
      const portuguese = read(`${DIAGRAM_DIRECTORIES["pt-BR"]}/${diagram}.dot`);
      expect(structure(portuguese)).toEqual(structure(english));
      expect(structure(english).length).toBeGreaterThan(5);
      expect(portuguese).not.toBe(english);
      expect(tableSteps(read(`${DIAGRAM_DIRECTORIES["pt-BR"]}/${diagram}.md`))).toEqual(tableSteps(read(`${DIAGRAM_DIRECTORIES.en}/${diagram}.md`)));
    }
  });

  it("the stacks view is one panel for every workload environment, beside the table of what differs between them", () => {
    const dot = read(`${DIAGRAM_DIRECTORIES.en}/stacks.dot`);
    for (const env of ENVIRONMENTS) expect(dot).not.toContain(`${env.name}-network`);
    expect(dot).toContain("&lt;env&gt;-network");
    expect(dot).toContain(`${TOOLING.name}-peering`);
    for (const language of Object.keys(DIAGRAM_DIRECTORIES) as (keyof typeof DIAGRAM_DIRECTORIES)[]) {
      const page = read(`${DIAGRAM_DIRECTORIES[language]}/stacks.md`);
      for (const env of ENVIRONMENTS) {
        expect(page).toContain(`| ${env.name} `);
        expect(page).toContain(env.awsAccountId);
        expect(page).toContain(env.data.postgres.instanceClass);
        expect(page).toContain(env.network.availabilityZones.join(", "));
      }
    }
  });
});

describe("the views' facts", () => {
  const prod = ENVIRONMENTS.find((env) => env.tier === "production")!;
  const facts = environmentFacts(prod, synthesizedStacks(prod.name) as Record<string, SynthesizedJson>);
  const env = environment(prod.name);
  const view = (name: string) => read(`${DIAGRAM_DIRECTORIES.en}/${name}.dot`) + read(`${DIAGRAM_DIRECTORIES.en}/${name}.md`);

  it("come from the synthesized production stacks and match its configuration", () => {
    expect(facts).toMatchObject({
      environment: env.name,
      accountId: env.awsAccountId,
      region: env.region,
      vpcCidr: env.network.vpcCidr,
      natGateways: env.network.natGateways === "perAz" ? env.network.availabilityZones.length : 1,
      cluster: { name: `proteomics-${env.name}-eks`, version: env.cluster.kubernetesVersion },
      database: { instanceClass: env.data.postgres.instanceClass, multiAz: env.data.postgres.multiAz },
      warehouse: { nodeType: env.data.redshift.nodeType, nodes: env.data.redshift.numberOfNodes },
      siteDomain: env.apps.domain,
      workloads: ["api", "frontend"],
    });
    for (const tier of ["public", "private", "isolated"] as const) {
      expect(facts.subnets[tier].map((subnet) => subnet.zone)).toEqual([...env.network.availabilityZones].sort());
    }
    expect(facts.buckets).toEqual(expect.arrayContaining(["uploads", "results", "work"]));
    // The state buckets are not part of the production data plane.
    expect(facts.buckets).not.toContain("tfstate");
    expect(facts.stateBuckets).toContain("tfstate");
    expect(facts.queues.map((queue) => queue.name)).toEqual(["interactive", "bulk"]);
    expect(facts.alarms).toBeGreaterThan(15);
    expect(facts.interruptionQueue).toBe("eks");
  });

  it.each([
    ["request-path", () => [facts.siteDomain, facts.vpcCidr, ...Object.values(facts.subnets).flatMap((tier) => tier.flatMap((subnet) => [subnet.zone, subnet.cidr])), facts.proxy, facts.database.identifier, "Route 53", "Internet gateway"]],
    ["analysis-path", () => [facts.stateMachines[0], ...facts.functions.filter((fn) => fn.includes("validate")), ...facts.buckets.filter((bucket) => !bucket.endsWith("logs")), facts.database.identifier, ...facts.queues.map((queue) => queue.name)]],
    ["data-path", () => [facts.database.identifier, facts.warehouse.identifier, facts.integration, facts.refreshSchedule, ...facts.stateMachines.slice(1), ...facts.functions.filter((fn) => fn.includes("setup"))]],
    ["security-operations", () => [facts.alertsTopic, facts.cluster.name, `SQS ${facts.interruptionQueue}`, "Karpenter interruption queue", ...facts.auditBuckets, facts.sessionHost.instanceType]],
    ["delivery", () => [TOOLING.awsAccountId, TOOLING.atlantis.domain, "terraform-plan", "terraform-deploy"]],
  ])("the %s view draws the facts of its story", (name, expected) => {
    for (const text of expected()) expect(view(name)).toContain(text);
  });

  it("draw the state buckets only in the delivery and stacks views, not in the production data plane", () => {
    for (const name of ["request-path", "analysis-path", "data-path", "security-operations"]) expect(view(name)).not.toContain("tfstate");
  });

  it("do not draw the Redshift Data API as a network path: outside the VPC, its dashed, grey edge ends on the VPC's border, never inside", () => {
    for (const directory of Object.values(DIAGRAM_DIRECTORIES)) {
      const dot = read(`${directory}/data-path.dot`);
      const edge = /^\s*dataapi -> redshift \[(.*)\];$/m.exec(dot)![1];
      expect(edge).toContain('style="dashed"');
      expect(edge).toContain('color="#7F7F7F"');
      expect(edge).toContain('lhead="cluster_vpc"');
      // The Data API is drawn among the AWS-managed services, not in the VPC.
      const vpc = /subgraph cluster_vpc \{[\s\S]*?\n {4}\}/.exec(dot)![0];
      expect(vpc).not.toMatch(/^\s*dataapi \[/m);
      // As rendered: no edge from or to the Data API has a point inside the VPC's box.
      expect(edgesInto(read(`${directory}/data-path.svg`), "dataapi", "cluster_vpc")).toEqual([]);
    }
    expect(read(`${DIAGRAM_DIRECTORIES.en}/data-path.md`)).toMatch(/no network path/);
  });

  it("the check finds an edge drawn into a group, and not one that ends on its border", () => {
    const svg = (end: number) =>
      [
        `<svg viewBox="0 0 400 300"><g id="graph0" class="graph">`,
        `<g id="clust1" class="cluster">\n<title>cluster_vpc</title>`,
        `<path fill="none" stroke="#8c4fff" d="M10,-10C10,-10 200,-10 200,-10 200,-10 200,-200 200,-200 200,-200 10,-200 10,-200 10,-200 10,-10 10,-10"/>\n</g>`,
        `<g id="edge5" class="edge">\n<title>dataapi&#45;&gt;redshift</title>`,
        `<path fill="none" stroke="#7f7f7f" stroke-dasharray="5,2" d="M350,-100C300,-100 250,-100 ${end + 10},-100"/>`,
        `<polygon fill="#7f7f7f" stroke="#7f7f7f" points="${end + 10},-96 ${end},-100 ${end + 10},-104 ${end + 10},-96"/>\n</g>`,
        `</g></svg>`,
      ].join("\n");
    expect(edgesInto(svg(200), "dataapi", "cluster_vpc")).toEqual([]);
    expect(edgesInto(svg(120), "dataapi", "cluster_vpc")).toEqual(["dataapi->redshift"]);
  });
});
