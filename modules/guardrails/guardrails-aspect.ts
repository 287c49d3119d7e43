import { App, IAspect, TerraformElement, TerraformProvider, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { recordViolations } from "./guardrail-report";
import { GuardrailContext, GuardrailRule, STRICT_CONTEXT } from "./rule";
import { GUARDRAIL_RULES } from "./rules";
import { suppressionOf } from "./suppressions";
import { SynthesizedStack } from "./synthesized-stack";

/**
 * Checks the guardrail rules on the stack it is added to, on the Terraform JSON cdktf writes for it, and records every
 * violation that no suppression covers. Recorded violations fail `app.synth()` (see `guardrail-report.ts`).
 *
 * The aspect does not resolve the stack itself: it has the stack's `toTerraform()` (which the synthesizer, and
 * `Testing.synth`, call once, after every aspect and validation) check what it returns. So the rules see exactly the
 * JSON that is written, and the stack is resolved once, not twice (a third of a synth's time).
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
    const guarded = guardedStacks.get(stack) ?? new Set<GuardrailsAspect>();
    if (guarded.has(this)) return;
    guarded.add(this);
    guardedStacks.set(stack, guarded);
    const toTerraform = stack.toTerraform.bind(stack);
    stack.toTerraform = () => {
      const json = toTerraform();
      this.check(stack, json);
      return json;
    };
  }

  /** Checks the rules on the stack's synthesized JSON and records the violations. */
  check(stack: TerraformStack, json: ReturnType<TerraformStack["toTerraform"]>): void {
    const synthesized = new SynthesizedStack(stack.node.id, json);
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

/** The aspects already checking each stack's `toTerraform()` (aspects are invoked again by each synth). */
const guardedStacks = new WeakMap<TerraformStack, Set<GuardrailsAspect>>();

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
