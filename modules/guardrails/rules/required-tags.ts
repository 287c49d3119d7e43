import { GuardrailRule } from "../rule";
import { blocks } from "../synthesized-stack";

/** Tag keys every resource carries through the AWS provider's `default_tags`. */
export const REQUIRED_TAG_KEYS = ["Project", "Environment", "ManagedBy", "Owner", "CostCenter", "DataClassification"] as const;

export const requiredTags: GuardrailRule = {
  id: "tags-required",
  requirement: `Every AWS provider sets default_tags with non-empty ${REQUIRED_TAG_KEYS.join(", ")}.`,
  rationale: "Cost allocation, ownership and data-classification reporting rely on every resource being tagged.",
  check: (stack) =>
    stack.providers("aws").flatMap((provider) => {
      const tags = blocks(provider.values.default_tags).map((block) => (block.tags ?? {}) as Record<string, unknown>);
      const missing = REQUIRED_TAG_KEYS.filter((key) => !tags.some((set) => typeof set[key] === "string" && set[key] !== ""));
      return missing.length === 0
        ? []
        : [{ address: provider.address, message: `add default_tags for ${missing.join(", ")}` }];
    }),
};
