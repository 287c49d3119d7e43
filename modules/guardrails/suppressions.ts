import { IConstruct } from "constructs";
import { GUARDRAIL_RULES } from "./rules";

const SUPPRESSION_METADATA = "guardrails:suppression";

interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
}

/**
 * Exempts `scope` and everything below it from one guardrail rule. The rule must exist and the reason must say
 * why the exemption is safe; both appear in the construct tree and in the guardrail catalogue.
 */
export function suppressGuardrail(scope: IConstruct, ruleId: string, reason: string): void {
  if (!GUARDRAIL_RULES.some((rule) => rule.id === ruleId)) {
    throw new Error(
      `Cannot suppress unknown guardrail "${ruleId}" at ${scope.node.path} (known: ${GUARDRAIL_RULES.map((rule) => rule.id).join(", ")})`,
    );
  }
  if (reason.trim().length < 20) {
    throw new Error(`Suppressing guardrail "${ruleId}" at ${scope.node.path} needs a reason of at least 20 characters`);
  }
  scope.node.addMetadata(SUPPRESSION_METADATA, { ruleId, reason } satisfies Suppression, { stackTrace: false });
}

/** The reason `construct` (or one of its scopes) is exempt from `ruleId`, if it is. */
export function suppressionOf(construct: IConstruct, ruleId: string): string | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    const entry = scope.node.metadata.find(
      (metadata) => metadata.type === SUPPRESSION_METADATA && (metadata.data as Suppression).ruleId === ruleId,
    );
    if (entry) return (entry.data as Suppression).reason;
  }
  return undefined;
}

/** Every suppression in the tree under `root`: where, which rule, why (for audits and the rule catalogue). */
export function listSuppressions(root: IConstruct): Array<{ readonly path: string } & Suppression> {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((metadata) => metadata.type === SUPPRESSION_METADATA)
      .map((metadata) => ({ path: construct.node.path, ...(metadata.data as Suppression) })),
  );
}
