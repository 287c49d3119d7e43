import * as fs from "node:fs";
import * as path from "node:path";
import { ENVIRONMENT_TABLE_SECTIONS, renderEnvironmentTables, withGeneratedSections } from "../../modules/docs/environment-tables";
import { ENVIRONMENTS, TOOLING, environment } from "../helpers/environments";

// docs/architecture.md states per-environment facts only in tables generated from the configuration.

const ARCHITECTURE = path.join(__dirname, "..", "..", "docs", "architecture.md");

describe("the per-environment tables of docs/architecture.md", () => {
  const committed = fs.readFileSync(ARCHITECTURE, "utf8");
  const tables = renderEnvironmentTables({ workloads: ENVIRONMENTS, tooling: TOOLING });

  it("are the ones the configuration renders (run `npm run generate` and commit when this fails)", () => {
    expect(committed).toBe(withGeneratedSections(committed, tables));
  });

  it("have a row for each environment: every table each workload environment, the accounts table the tooling one too", () => {
    for (const section of ENVIRONMENT_TABLE_SECTIONS) {
      const rows = tables[section].split("\n").slice(2).map((row) => row.split(" | ")[0].slice(2));
      const expected = [...ENVIRONMENTS.map((env) => env.name), ...(section === "environments" ? [TOOLING.name] : [])];
      expect([section, rows]).toEqual([section, expected]);
    }
  });

  it("show what an environment's file says", () => {
    const dev = environment("dev");
    const devRow = (section: (typeof ENVIRONMENT_TABLE_SECTIONS)[number]) => tables[section].split("\n").find((row) => row.startsWith("| dev |"))!;
    expect(devRow("environments")).toBe(`| dev | ${dev.tier} | ${dev.awsAccountId} | ${dev.region} | ${dev.network.vpcCidr} | ${dev.network.availabilityZones.length} |`);
    expect(devRow("data")).toContain(`| ${dev.data.postgres.instanceClass} |`);
    expect(devRow("data")).toContain(`| ${dev.data.redshift.numberOfNodes} × ${dev.data.redshift.nodeType} |`);
    const moreSpot = { ...dev, pipeline: { ...dev.pipeline, spotMaxVcpus: dev.pipeline.spotMaxVcpus * 2 } };
    const doubled = renderEnvironmentTables({ workloads: [moreSpot] }).capacity.split("\n")[2];
    expect(doubled).toContain(`| ${(dev.pipeline.spotMaxVcpus * 2).toLocaleString("en-US")} |`);
    expect(doubled).not.toBe(devRow("capacity"));
  });

  it("replace only what is between their markers, and refuse a document without a section or with an unknown one", () => {
    const start = (section: string) => `<!-- generated: ${section} (npm run docs:environments) -->`;
    const document = `# Title\n\n${start("environments")}\n| stale |\n<!-- end generated -->\n\nText after.\n`;
    expect(withGeneratedSections(document, { environments: "| fresh |" })).toBe(`# Title\n\n${start("environments")}\n| fresh |\n<!-- end generated -->\n\nText after.\n`);
    expect(() => withGeneratedSections(document, { environments: "x", network: "y" })).toThrow(
      `the document has no generated section "network": add ${start("network")} … <!-- end generated -->`,
    );
    expect(() => withGeneratedSections(`${document}${start("costs")}\n<!-- end generated -->\n`, { environments: "x" })).toThrow(
      "the document has generated sections nobody renders: costs",
    );
  });
});
