import { Testing } from "cdktf";
import { EnvironmentInput, loadEnvironments } from "../../environments";
import { environmentSchema } from "../../environments/schema";
import { guardrailViolations } from "../../modules/guardrails/guardrail-report";
import { createEnvironmentStacks, loadStackDependencies } from "../../stacks";
import { environmentInputs } from "../helpers/environments";

/** The longest values the schema accepts for the two parts of every resource name. */
const LONGEST = { project: "proteomics-platform1", name: "perfstaging1" };

/** A committed environment renamed to the longest project and environment names (and its own state bucket). */
function withLongestNames(input: EnvironmentInput): EnvironmentInput {
  return { ...input, ...LONGEST, state: { ...input.state, bucketName: `${LONGEST.project}-${LONGEST.name}-tfstate-${input.awsAccountId}` } };
}

describe("the longest names the schema accepts", () => {
  it("are the limits of the schema", () => {
    const [input] = environmentInputs();
    const parse = (patch: Partial<EnvironmentInput>) => environmentSchema.safeParse({ ...input, ...patch }).success;
    expect(parse(LONGEST)).toBe(true);
    expect(parse({ project: `${LONGEST.project}x` })).toBe(false);
    expect(parse({ name: `${LONGEST.name}x` })).toBe(false);
  });

  it.each(environmentInputs().map((input) => [input.name, input] as const))("%s: every name still fits AWS's rules", async (_, input) => {
    const [env] = loadEnvironments([withLongestNames(input)]).workloads;
    const app = Testing.app();
    createEnvironmentStacks(app, env, await loadStackDependencies());
    let failure = "";
    try {
      app.synth();
    } catch (error) {
      failure = (error as Error).message;
    }
    expect(guardrailViolations(app).map((violation) => `${violation.stack} ${violation.address}: ${violation.ruleId}: ${violation.message}`)).toEqual([]);
    expect(failure).toBe("");
  });
});
