import { BatchComputeEnvironment } from "@cdktf/provider-aws/lib/batch-compute-environment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, Aspects, TerraformStack, Testing } from "cdktf";
import { guardrailViolations } from "../../modules/guardrails/guardrail-report";
import { GuardrailsAspect } from "../../modules/guardrails/guardrails-aspect";
import { STRICT_CONTEXT } from "../../modules/guardrails/rule";
import { computeCostTags } from "../../modules/guardrails/rules/cost-tags";
import { REQUIRED_TAG_KEYS } from "../../modules/guardrails/rules/required-tags";
import { BatchCompute } from "../../modules/pipeline/batch-compute";
import { ENVIRONMENT_NAMES } from "../helpers/environments";
import { StackJson, resourcesOf, synthesizedStacks } from "../helpers/synth";

const DEFAULT_TAGS = { Project: "proteomics", Environment: "dev", ManagedBy: "cdktf", Owner: "platform", CostCenter: "RD-1", DataClassification: "confidential" };

/** A stack whose provider carries `defaultTags` (none when undefined), checked by this rule only. */
function checkedStack(app: App, defaultTags: Record<string, string> | undefined = DEFAULT_TAGS): TerraformStack {
  const stack = new TerraformStack(app, "fixture");
  new AwsProvider(stack, "aws", { region: "sa-east-1", defaultTags: defaultTags && [{ tags: defaultTags }] });
  Aspects.of(stack).add(new GuardrailsAspect(STRICT_CONTEXT, [computeCostTags]));
  return stack;
}

const messages = (app: App) => guardrailViolations(app).map(({ address, message }) => `${address}: ${message}`);

/** Synthesizes `app` and returns the rule's findings (none when the synth passes). */
function findings(app: App): string[] {
  try {
    app.synth();
  } catch {
    // the findings are read below
  }
  return messages(app);
}

const template = (stack: TerraformStack, id: string, specifications: Array<{ resourceType: string; tags: Record<string, string> }>) =>
  new LaunchTemplate(stack, id, { name: id, tagSpecifications: specifications });

const computeEnvironment = (stack: TerraformStack, id: string, type: string, tags?: Record<string, string>) =>
  new BatchComputeEnvironment(stack, id, {
    type: "MANAGED",
    computeResources: { type, maxVcpus: 4, subnets: ["subnet-1"], ...(type.startsWith("FARGATE") ? {} : { instanceType: ["c7i"] }), tags },
  });

describe("compute-cost-tags", () => {
  it("accepts launch templates and Batch environments that carry every default tag (and more)", () => {
    const app = Testing.app();
    const stack = checkedStack(app);
    const tags = { ...DEFAULT_TAGS, Name: "x" };
    template(stack, "tagged", [
      { resourceType: "instance", tags },
      { resourceType: "volume", tags },
      { resourceType: "network-interface", tags: { Name: "x" } },
    ]);
    computeEnvironment(stack, "tagged-ec2", "EC2", tags);
    computeEnvironment(stack, "tagged-spot", "SPOT", tags);
    computeEnvironment(stack, "fargate", "FARGATE");
    expect(findings(app)).toEqual([]);
  });

  it("refuses a launch template without volume tags, or with instance tags missing a key or differing in value", () => {
    const app = Testing.app();
    const stack = checkedStack(app);
    const withoutCostCenter: Record<string, string> = { ...DEFAULT_TAGS };
    delete withoutCostCenter.CostCenter;
    template(stack, "half-tagged", [{ resourceType: "instance", tags: { ...withoutCostCenter, Environment: "prod" } }]);
    template(stack, "untagged", []);
    expect(() => app.synth()).toThrow(
      'guardrail violation [fixture] aws_launch_template.half-tagged: compute-cost-tags: copy the provider\'s default_tags into tag_specifications for resource_type "instance" and "volume" (instance: missing CostCenter; Environment is "prod", not "dev"; volume: no block)',
    );
    expect(messages(app)).toEqual([
      'aws_launch_template.half-tagged: copy the provider\'s default_tags into tag_specifications for resource_type "instance" and "volume" (instance: missing CostCenter; Environment is "prod", not "dev"; volume: no block)',
      'aws_launch_template.untagged: copy the provider\'s default_tags into tag_specifications for resource_type "instance" and "volume" (instance: no block; volume: no block)',
    ]);
  });

  it("refuses a Batch EC2 or Spot environment whose compute_resources.tags lack a default tag", () => {
    const app = Testing.app();
    const stack = checkedStack(app);
    computeEnvironment(stack, "named-only", "SPOT", { Name: "x" });
    computeEnvironment(stack, "owner-off", "EC2", { ...DEFAULT_TAGS, Owner: "someone-else" });
    expect(() => app.synth()).toThrow(
      "guardrail violation [fixture] aws_batch_compute_environment.named-only: compute-cost-tags: copy the provider's default_tags into compute_resources.tags (missing Project, Environment, ManagedBy, Owner, CostCenter, DataClassification)",
    );
    expect(messages(app)).toEqual([
      "aws_batch_compute_environment.named-only: copy the provider's default_tags into compute_resources.tags (missing Project, Environment, ManagedBy, Owner, CostCenter, DataClassification)",
      'aws_batch_compute_environment.owner-off: copy the provider\'s default_tags into compute_resources.tags (Owner is "someone-else", not "platform")',
    ]);
  });

  it("requires the project's tag keys when the provider sets no default tags, and any extra key the provider sets", () => {
    const bare = Testing.app();
    computeEnvironment(checkedStack(bare, undefined), "untagged", "EC2");
    expect(findings(bare)).toEqual([
      `aws_batch_compute_environment.untagged: copy the provider's default_tags into compute_resources.tags (missing ${REQUIRED_TAG_KEYS.join(", ")})`,
    ]);

    const extra = Testing.app();
    computeEnvironment(checkedStack(extra, { ...DEFAULT_TAGS, Team: "proteomics" }), "without-team", "EC2", DEFAULT_TAGS);
    expect(findings(extra)).toEqual(["aws_batch_compute_environment.without-team: copy the provider's default_tags into compute_resources.tags (missing Team)"]);
  });

  it("is met by BatchCompute, which copies the provider's default tags (or the tags it is given)", () => {
    const props = { namePrefix: "proteomics-dev", vpcId: "vpc-1", subnetIds: ["subnet-1"], endpointSecurityGroupId: "sg-1", s3PrefixListId: "pl-1", volumeGiB: 100, instanceTypes: ["c7i"], spotMaxVcpus: 4, onDemandMaxVcpus: 4 };
    const app = Testing.app();
    new BatchCompute(checkedStack(app), "compute", props);
    expect(findings(app)).toEqual([]);

    const given = Testing.app();
    const stack = checkedStack(given, undefined);
    new BatchCompute(stack, "compute", { ...props, tags: DEFAULT_TAGS });
    expect(findings(given)).toEqual([]);
    const json = JSON.parse(Testing.synth(stack));
    for (const environment of Object.values(json.resource.aws_batch_compute_environment) as StackJson[]) {
      expect(environment.compute_resources.tags).toEqual({ ...DEFAULT_TAGS, Name: expect.stringMatching(/^proteomics-dev-batch-(spot|ondemand)$/) });
    }
  });
});

describe.each(ENVIRONMENT_NAMES)("%s: what EC2 launches carries the environment's default tags", (name) => {
  const stacks = synthesizedStacks(name);
  const defaultTags = (stack: StackJson) => stack.provider.aws.find((provider: StackJson) => provider.alias === undefined).default_tags[0].tags;

  it("every launch template tags instances and volumes with them", () => {
    const templates = Object.values(stacks).flatMap((stack) => Object.values(resourcesOf(stack, "aws_launch_template")).map((lt) => ({ stack, lt })));
    expect(templates.length).toBeGreaterThanOrEqual(2); // the Batch instances' and the system nodes'
    for (const { stack, lt } of templates) {
      for (const resourceType of ["instance", "volume"]) {
        const specification = lt.tag_specifications.find((candidate: StackJson) => candidate.resource_type === resourceType);
        expect(specification.tags).toMatchObject(defaultTags(stack));
      }
    }
  });

  it("every Batch compute environment tags its instances with them", () => {
    const stack = stacks[`${name}-pipeline`];
    const environments = Object.values(resourcesOf(stack, "aws_batch_compute_environment"));
    expect(environments).toHaveLength(2);
    for (const environment of environments) expect(environment.compute_resources.tags).toMatchObject(defaultTags(stack));
  });
});
