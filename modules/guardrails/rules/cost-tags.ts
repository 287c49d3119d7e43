import { GuardrailRule } from "../rule";
import { SynthesizedResource, SynthesizedStack, blocks } from "../synthesized-stack";
import { REQUIRED_TAG_KEYS } from "./required-tags";

/** What a launch template must tag, through `tag_specifications`. */
const LAUNCHED_RESOURCE_TYPES = ["instance", "volume"] as const;

/** Compute resource types whose instances Batch tags with `compute_resources.tags` (Fargate takes none). */
const TAGGED_BATCH_RESOURCE_TYPES = ["EC2", "SPOT"];

/**
 * The tags `resource` must carry: its provider's `default_tags` (key and value), and at least the required keys
 * (any value) when that provider has none.
 */
function expectedTags(stack: SynthesizedStack, resource: SynthesizedResource): Map<string, string | undefined> {
  const alias = typeof resource.values.provider === "string" ? /^(?:\$\{)?aws\.([\w-]+)\}?$/.exec(resource.values.provider)?.[1] : undefined;
  const provider = stack.providers("aws").find((candidate) => candidate.values.alias === alias);
  const expected = new Map<string, string | undefined>(REQUIRED_TAG_KEYS.map((key) => [key, undefined]));
  for (const block of blocks(provider?.values.default_tags)) {
    for (const [key, value] of Object.entries((block.tags ?? {}) as Record<string, unknown>)) expected.set(key, String(value));
  }
  return expected;
}

/** What is wrong with `tags` against `expected`, e.g. `missing Owner, CostCenter; Environment is "x", not "dev"`. */
function tagProblems(tags: unknown, expected: Map<string, string | undefined>): string | undefined {
  const actual = (typeof tags === "object" && tags !== null ? tags : {}) as Record<string, unknown>;
  const missing = [...expected.keys()].filter((key) => typeof actual[key] !== "string" || actual[key] === "");
  const different = [...expected.entries()]
    .filter(([key, value]) => value !== undefined && !missing.includes(key) && actual[key] !== value)
    .map(([key, value]) => `${key} is ${JSON.stringify(actual[key])}, not ${JSON.stringify(value)}`);
  const problems = [...(missing.length ? [`missing ${missing.join(", ")}`] : []), ...different];
  return problems.length ? problems.join("; ") : undefined;
}

export const computeCostTags: GuardrailRule = {
  id: "compute-cost-tags",
  requirement:
    "Every launch template tags the instances and volumes it launches (tag_specifications for instance and volume), and every Batch EC2 or Spot compute environment its instances (compute_resources.tags), with each of the AWS provider's default_tags and its value.",
  rationale:
    "Provider default_tags reach only what Terraform creates; instances and volumes that Batch, EKS or EC2 launch from a template would otherwise be missing from the environment's cost allocation and ownership reports.",
  check: (stack) => [
    ...stack.resources("aws_launch_template").flatMap((template) => {
      const expected = expectedTags(stack, template);
      const specifications = blocks(template.values.tag_specifications);
      const problems = LAUNCHED_RESOURCE_TYPES.flatMap((resourceType) => {
        const tagged = specifications.filter((specification) => specification.resource_type === resourceType);
        if (tagged.length === 0) return [`${resourceType}: no block`];
        const problem = tagProblems(Object.assign({}, ...tagged.map((specification) => specification.tags ?? {})), expected);
        return problem ? [`${resourceType}: ${problem}`] : [];
      });
      return problems.length
        ? [
            {
              address: template.address,
              message: `copy the provider's default_tags into tag_specifications for resource_type "instance" and "volume" (${problems.join("; ")})`,
            },
          ]
        : [];
    }),
    ...stack.resources("aws_batch_compute_environment").flatMap((environment) =>
      blocks(environment.values.compute_resources)
        .filter((resources) => TAGGED_BATCH_RESOURCE_TYPES.includes(String(resources.type).toUpperCase()))
        .flatMap((resources) => {
          const problem = tagProblems(resources.tags, expectedTags(stack, environment));
          return problem ? [{ address: environment.address, message: `copy the provider's default_tags into compute_resources.tags (${problem})` }] : [];
        }),
    ),
  ],
};
