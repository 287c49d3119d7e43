import * as fs from "node:fs";
import * as path from "node:path";
import { DIAGRAMS, DIAGRAM_DIRECTORIES, diagramSources } from "../../modules/documents/diagram-sources";
import { environmentFacts, SynthesizedJson } from "../../modules/documents/environment-facts";
import { dotHashComment } from "../../modules/documents/rendered-svg";
import { ENVIRONMENT_INPUTS, loadEnvironments } from "../../environments";
import { ENVIRONMENTS, environment } from "../helpers/environments";
import { synthesizedStacks } from "../helpers/synth";

const ROOT = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const files = Object.values(DIAGRAM_DIRECTORIES).flatMap((directory) => DIAGRAMS.map((diagram) => `${directory}/${diagram}`));
/** Node ids and edges of a DOT text: its structure, whatever the language of its labels. */
const structure = (dot: string) => [...dot.matchAll(/^\s*(\w+)(?: -> (\w+))? \[/gm)].map((match) => match.slice(1).filter(Boolean).join(" -> "));

describe("the diagrams", () => {
  const sources = diagramSources(process.env.PROTEOMICS_SYNTH_DIR!, loadEnvironments(ENVIRONMENT_INPUTS));

  it.each(files)("%s.dot is what `npm run docs:diagram` generates from the stacks now (run `npm run generate` and commit when this fails)", (file) => {
    expect(read(`${file}.dot`)).toBe(sources[`${file}.dot`]);
  });

  it.each(files)("%s.svg and .png are rendered from the committed source", (file) => {
    const svg = read(`${file}.svg`);
    expect(svg).toContain(dotHashComment(read(`${file}.dot`)));
    expect(svg).toMatch(/<svg[\s\S]*<\/svg>\s*$/);
    const png = fs.readFileSync(path.join(ROOT, `${file}.png`));
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    // Slide-sized: 2400 pixels wide, no taller than wide.
    expect(width).toBe(2400);
    expect(height).toBeLessThanOrEqual(width);
  });

  it("say the same thing in both languages, with translated labels", () => {
    for (const diagram of DIAGRAMS) {
      const english = read(`${DIAGRAM_DIRECTORIES.en}/${diagram}.dot`);
      const portuguese = read(`${DIAGRAM_DIRECTORIES["pt-BR"]}/${diagram}.dot`);
      expect(structure(portuguese)).toEqual(structure(english));
      expect(structure(english).length).toBeGreaterThan(10);
      expect(portuguese).not.toBe(english);
    }
    expect(read(`${DIAGRAM_DIRECTORIES["pt-BR"]}/architecture.dot`)).toContain("Sub-redes privadas");
  });
});

describe("the architecture diagram's facts", () => {
  const prod = ENVIRONMENTS.find((env) => env.tier === "production")!;
  const facts = environmentFacts(prod, synthesizedStacks(prod.name) as Record<string, SynthesizedJson>);
  const env = environment(prod.name);

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
    expect(facts.queues.map((queue) => queue.name)).toEqual(["interactive", "bulk"]);
    expect(facts.alarms).toBeGreaterThan(15);
  });

  it("are all drawn", () => {
    const dot = read(`${DIAGRAM_DIRECTORIES.en}/architecture.dot`);
    for (const text of [facts.vpcCidr, facts.cluster.name, facts.database.identifier, facts.warehouse.identifier, ...facts.stateMachines, ...facts.functions, facts.alertsTopic, ...facts.buckets]) {
      expect(dot).toContain(text);
    }
  });
});
