import { App, Testing } from "cdktf";
import { EnvironmentInput, loadEnvironments } from "../../environments";
import { environmentSchema } from "../../environments/schema";
import { guardrailViolations } from "../../modules/guardrails/guardrail-report";
import { createEnvironmentStacks, createToolingStacks, loadStackDependencies } from "../../stacks";
import { ENVIRONMENTS, TOOLING, environmentInputs, toolingInput } from "../helpers/environments";

/** The longest values the schema accepts for the two parts of every resource name. */
const LONGEST = { project: "proteomics-platform1", name: "perfstaging1" };

/** A committed environment renamed to the longest project and environment names (and its own state bucket). */
function withLongestNames(input: EnvironmentInput): EnvironmentInput {
  return { ...input, ...LONGEST, state: { ...input.state, bucketName: `${LONGEST.project}-${LONGEST.name}-tfstate-${input.awsAccountId}` } };
}

/** Synthesizes the app and expects no guardrail violation and no other failure. */
function expectCleanSynth(app: App): void {
  let failure = "";
  try {
    app.synth();
  } catch (error) {
    failure = (error as Error).message;
  }
  expect(guardrailViolations(app).map((violation) => `${violation.stack} ${violation.address}: ${violation.ruleId}: ${violation.message}`)).toEqual([]);
  expect(failure).toBe("");
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
    createEnvironmentStacks(app, env, await loadStackDependencies(), TOOLING);
    expectCleanSynth(app);
  });
});

describe("the longest names the tooling environment accepts", () => {
  // Its load balancer and target group names (32 characters) leave `<project>-<name>` 20 characters at most.
  const named = (project: string, name: string) => ({ ...toolingInput(), project, name, state: { bucketName: `${project}-${name}-tfstate` } });

  it("refuses a project and name that leave no room for the load balancer's names", () => {
    expect(() => loadEnvironments([named(LONGEST.project, "tooling")])).toThrow(
      `tooling: name: must leave room for the Atlantis load balancer's names (at most 32 characters): "${LONGEST.project}-tooling-atl-planner" has 40; shorten the project or the environment name`,
    );
  });

  it("fits AWS's rules at the longest it accepts", () => {
    expect(() => loadEnvironments([named("proteomics-platf", "tool")])).toThrow('"proteomics-platf-tool-atl-planner" has 33');
    const tooling = loadEnvironments([named("proteomics-plat", "tool")]).tooling!;
    expect(`${tooling.project}-${tooling.name}`).toHaveLength(20);
    const app = Testing.app();
    createToolingStacks(app, tooling, ENVIRONMENTS);
    expectCleanSynth(app);
  });
});
