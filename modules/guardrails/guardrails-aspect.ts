import { App, IAspect, TerraformElement, TerraformProvider, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { recordViolations } from "./guardrail-report";
import { GuardrailContext, GuardrailRule, STRICT_CONTEXT } from "./rule";
import { GUARDRAIL_RULES } from "./rules";
import { suppressionOf } from "./suppressions";
import { SynthesizedStack } from "./synthesized-stack";

/**
 * Checks the guardrail rules on the stack it is added to, as the stack will be synthesized, and records every
 * violation that no suppression covers. Recorded violations fail `app.synth()` (see `guardrail-report.ts`).
 */
export class GuardrailsAspect implements IAspect {
  constructor(
    /** What the stack's environment asks for. @default the strictest context */
    private readonly context: GuardrailContext = STRICT_CONTEXT,
    /** Rules to check. @default the whole catalogue */
    private readonly rules: readonly GuardrailRule[] = GUARDRAIL_RULES,
  ) {}

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const stack = node;
    const synthesized = new SynthesizedStack(stack.node.id, stack.toTerraform());
    const elements = elementsByAddress(stack);
    const violations = this.rules.flatMap((rule) =>
      rule
        .check(synthesized, this.context)
        .filter((finding) => {
          const element = elements.get(finding.address);
          return element === undefined || suppressionOf(element, rule.id) === undefined;
        })
        .map((finding) => ({ stack: stack.node.id, address: finding.address, ruleId: rule.id, message: finding.message })),
    );
    recordViolations(App.of(stack), stack.node.id, violations);
  }
}

function elementsByAddress(stack: TerraformStack): Map<string, TerraformElement> {
  const elements = new Map<string, TerraformElement>();
  for (const construct of stack.node.findAll()) {
    if (construct instanceof TerraformResource) {
      elements.set(`${construct.terraformResourceType}.${stack.getLogicalId(construct)}`, construct);
    } else if (construct instanceof TerraformProvider) {
      const alias = construct.alias ? `.${construct.alias}` : "";
      elements.set(`provider.${construct.terraformResourceType}${alias}`, construct);
    }
  }
  return elements;
}
