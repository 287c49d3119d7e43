import { isWildcardOnlyAction } from "./action-catalog";

/**
 * Condition keys that confine a `Resource: "*"` statement to the project's own resources, when the action cannot be
 * scoped by ARN because the resource does not exist yet (creations) or its ARN is not known in advance. A statement
 * with `Resource: "*"` and scopable actions is accepted only under one of these; the guardrail catalogue lists them.
 */
export const SCOPING_CONDITION_KEYS: readonly { readonly key: string; readonly confinesTo: string }[] = [
  { key: "aws:ResourceTag/<tag>", confinesTo: "existing resources that carry the tag (e.g. elbv2.k8s.aws/cluster, karpenter.sh/nodepool)" },
  { key: "aws:RequestTag/<tag>", confinesTo: "creations that put the tag on the new resource" },
  { key: "ec2:ResourceTag/<tag>", confinesTo: "EC2 resources that carry the tag" },
  { key: "iam:AWSServiceName", confinesTo: "the named service-linked role" },
  { key: "arc-zonal-shift:ResourceIdentifier", confinesTo: "zonal shifts of the named resource (the cluster)" },
];

const PATTERNS = SCOPING_CONDITION_KEYS.map(({ key }) => new RegExp(`^${key.replace("<tag>", ".+").replace(/[/:]/g, "\\$&")}$`, "i"));

/** The condition keys of `condition` that confine a statement (see {@link SCOPING_CONDITION_KEYS}). */
export function scopingConditionKeys(condition: unknown): string[] {
  if (!condition || typeof condition !== "object") return [];
  return Object.values(condition as Record<string, Record<string, unknown>>)
    .flatMap((block) => Object.keys(block ?? {}))
    .filter((key) => PATTERNS.some((pattern) => pattern.test(key)));
}

/**
 * The actions of an Allow statement that `Resource: "*"` grants more widely than needed: none when the statement
 * names resources, when every action supports no resource-level permissions, or when a scoping condition applies.
 */
export function unscopedWildcardActions(statement: { readonly Action?: unknown; readonly Resource?: unknown; readonly Condition?: unknown }): string[] {
  const resources = [statement.Resource ?? []].flat();
  if (!resources.includes("*") || scopingConditionKeys(statement.Condition).length > 0) return [];
  return [statement.Action ?? []].flat().filter((action): action is string => typeof action === "string" && !isWildcardOnlyAction(action));
}
