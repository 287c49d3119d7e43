import { NAME_RULES, NOT_RESOURCE_NAMES } from "../../modules/naming/name-rules";
import { argumentAt, nameProblem, prefixArgumentOf, prefixProblem } from "../../modules/guardrails/rules/names";
import { ENVIRONMENT_NAMES, TOOLING } from "../helpers/environments";
import { StackJson, synthesizedStacks } from "../helpers/synth";

/** Top-level arguments that hold a name the project chooses, by the way providers spell them. */
const NAME_ARGUMENT = /(^|_)(name|name_prefix|identifier|identifier_prefix|bucket|bucket_prefix)$/;

/** Every literal name-like argument of a synthesized resource, as `type.argument`. */
function namedArguments(type: string, resource: StackJson): string[] {
  const topLevel = Object.entries(resource)
    .filter(([argument, value]) => NAME_ARGUMENT.test(argument) && typeof value === "string" && !value.includes("${"))
    .map(([argument]) => argument);
  const nested = ["metadata.name", "manifest.metadata.name", "visibility_config.metric_name"].filter((path) => typeof argumentAt(resource, path) === "string");
  return [...topLevel, ...nested].map((argument) => `${type}.${argument}`);
}

describe("the naming rules", () => {
  it.each([...ENVIRONMENT_NAMES, TOOLING.name])("%s: cover every name the stacks set (a new resource type needs its rule)", (name) => {
    const uncovered = new Set<string>();
    for (const stack of Object.values(synthesizedStacks(name))) {
      for (const [type, resources] of Object.entries<Record<string, StackJson>>(stack.resource ?? {})) {
        for (const resource of Object.values(resources)) {
          for (const named of namedArguments(type, resource)) {
            const argument = named.slice(type.length + 1);
            const base = argument === "bucket_prefix" ? "bucket" : argument.replace(/_prefix$/, "");
            const covered = NAME_RULES[type]?.[base] !== undefined || NOT_RESOURCE_NAMES[type]?.[argument] !== undefined;
            if (!covered) uncovered.add(named);
          }
        }
      }
    }
    expect([...uncovered].sort()).toEqual([]);
  });

  it("compile, and every source says where the rule comes from", () => {
    for (const [type, rules] of Object.entries(NAME_RULES)) {
      for (const [argument, rule] of Object.entries(rules)) {
        expect([type, argument, rule.min >= 1 && rule.min <= rule.max]).toEqual([type, argument, true]);
        expect(rule.source.length).toBeGreaterThan(10);
        if (rule.prefixMax !== undefined) expect(rule.prefixMax).toBeLessThanOrEqual(rule.max);
      }
    }
  });

  it.each<[string, string, string, string]>([
    ["aws_iam_role", "name", "proteomics-platform1-perfstaging1-eks-aws-load-balancer-controller", "is 66 characters; it must be 1 to 64"],
    ["aws_cloudwatch_event_rule", "name", `${"r".repeat(65)}`, "is 65 characters; it must be 1 to 64"],
    ["aws_s3_bucket", "bucket", "Proteomics_State", "must be lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit"],
    ["aws_s3_bucket", "bucket", "state..bucket", "must not contain two adjacent periods"],
    ["aws_s3_bucket", "bucket", "xn--state", "must not start with a reserved prefix (xn--, sthree-, amzn-s3-demo-)"],
    ["aws_db_instance", "identifier", "proteomics--dev-metrics", "must not contain two consecutive hyphens"],
    ["aws_db_instance", "identifier", "proteomics-dev-", "must not end with a hyphen"],
    ["aws_db_instance", "identifier", "1metrics", "must be lowercase letters, digits and hyphens, starting with a letter"],
    ["aws_rds_integration", "integration_name", `a${"-b".repeat(32)}`, "is 65 characters; it must be 1 to 63"],
    ["aws_security_group", "name", "sg-database", "must not start with sg-"],
    ["aws_kms_alias", "name", "alias/aws-data", "must not start with alias/aws (reserved for AWS managed keys; the provider refuses any alias/aws...)"],
    ["aws_secretsmanager_secret", "name", "proteomics-dev/api-abc123", "must not end with a hyphen and six characters (Secrets Manager would confuse it with an ARN's random suffix)"],
    ["helm_release", "name", "h".repeat(54), "is 54 characters; it must be 1 to 53"],
    ["kubernetes_service_v1", "metadata.name", "1api", "must be lowercase letters, digits and hyphens, starting with a letter (RFC 1035 label)"],
    ["kubernetes_namespace_v1", "metadata.name", "proteomics.apps", "must be lowercase letters, digits and hyphens, starting and ending with a letter or digit (RFC 1123 label)"],
  ])("%s.%s refuses %p: %s", (type, argument, name, problem) => {
    expect(nameProblem(name, NAME_RULES[type][argument])).toBe(problem);
  });

  it("accepts the names AWS accepts", () => {
    expect(nameProblem("proteomics-platform1-perfstaging1-karpenter-capacity-reservation", NAME_RULES.aws_cloudwatch_event_rule.name)).toBeUndefined();
    expect(nameProblem("proteomics-dev-tfstate-111122223333", NAME_RULES.aws_s3_bucket.bucket)).toBeUndefined();
    expect(nameProblem("proteomics-dev/analysis", NAME_RULES.aws_ecr_repository.name)).toBeUndefined();
  });

  it("knows the prefix argument of each kind of name", () => {
    expect(["name", "bucket", "identifier", "node_group_name", "cluster_identifier"].map(prefixArgumentOf)).toEqual([
      "name_prefix",
      "bucket_prefix",
      "identifier_prefix",
      "node_group_name_prefix",
      "cluster_identifier_prefix",
    ]);
  });

  it("checks a name prefix against the room the provider's 26-character suffix leaves", () => {
    expect(prefixProblem("proteomics-dev-metrics-postgres17-", NAME_RULES.aws_db_parameter_group.name)).toBeUndefined();
    expect(prefixProblem("r".repeat(39), NAME_RULES.aws_iam_role.name)).toBe("is 39 characters; a prefix must be 1 to 38");
    expect(prefixProblem("Metrics-", NAME_RULES.aws_db_parameter_group.name)).toBe("must be lowercase letters, digits and hyphens, starting with a letter");
    expect(prefixProblem("analytics-", NAME_RULES.aws_redshift_cluster.cluster_identifier)).toBe("has no name_prefix argument");
  });
});
