import * as fs from "node:fs";
import * as path from "node:path";
import { renderGuardrailCatalogue } from "../../modules/guardrails/catalogue";
import { GUARDRAIL_RULES } from "../../modules/guardrails/rules";
import { synthesizedSuppressions } from "../helpers/synth";

const CATALOGUE = path.join(__dirname, "..", "..", "docs", "guardrails.md");

describe("docs/guardrails.md", () => {
  const committed = fs.readFileSync(CATALOGUE, "utf8");
  const suppressions = synthesizedSuppressions();

  it("is the catalogue generated from the code (run `npm run generate` and commit when this fails)", () => {
    expect(committed).toBe(renderGuardrailCatalogue(suppressions));
  });

  it("lists every rule and every suppression with its reason", () => {
    for (const rule of GUARDRAIL_RULES) expect(committed).toContain(`| \`${rule.id}\` |`);
    expect(suppressions.length).toBeGreaterThan(0);
    for (const { reason } of suppressions) expect(committed).toContain(reason);
  });

  it("shows a suppression present in every environment once, with the environments", () => {
    const rendered = renderGuardrailCatalogue([
      { path: "dev-data/logs", ruleId: "s3-sse-kms", reason: "a reason that is long enough" },
      { path: "prod-data/logs", ruleId: "s3-sse-kms", reason: "a reason that is long enough" },
      { path: "prod-apps/x", ruleId: "s3-versioning", reason: "pipe | in a reason is escaped" },
    ]);
    expect(rendered).toContain("## Suppressions in the code base (2)");
    expect(rendered).toContain("| `<env>-data/logs` | `s3-sse-kms` | dev, prod | a reason that is long enough |");
    expect(rendered).toContain("| `<env>-apps/x` | `s3-versioning` | prod | pipe \\| in a reason is escaped |");
  });
});
