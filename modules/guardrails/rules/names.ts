import { NAME_RULES, NameRule } from "../../naming/name-rules";
import { GuardrailRule } from "../rule";
import { SynthesizedResource, SynthesizedStack, blocks } from "../synthesized-stack";

/** The value at a dotted path of a resource's arguments (`metadata.name`), through single nested blocks. */
export function argumentAt(values: Readonly<Record<string, unknown>>, path: string): unknown {
  return path.split(".").reduce<unknown>((value, key) => blocks(value)[0]?.[key], values);
}

/** Why `name` breaks `rule`, or undefined when it fits. */
export function nameProblem(name: string, rule: NameRule): string | undefined {
  if (name.length < rule.min || name.length > rule.max) {
    return `is ${name.length} characters; it must be ${rule.min === rule.max ? rule.max : `${rule.min} to ${rule.max}`}`;
  }
  return characterProblem(name, rule);
}

/** Why `prefix` cannot be a `name_prefix` under `rule`, or undefined when it can. */
export function prefixProblem(prefix: string, rule: NameRule): string | undefined {
  if (rule.prefixMax === undefined) return "has no name_prefix argument";
  if (prefix.length < 1 || prefix.length > rule.prefixMax) return `is ${prefix.length} characters; a prefix must be 1 to ${rule.prefixMax}`;
  // The provider appends a timestamp and counter (digits): the completed name must be valid.
  return characterProblem(`${prefix}${"0".repeat(26)}`, rule);
}

function characterProblem(name: string, rule: NameRule): string | undefined {
  if (!rule.pattern.test(name)) return `must be ${rule.allowed}`;
  return rule.refuse?.find((refused) => refused.pattern.test(name))?.reason;
}

/** True when the value is written in the configuration (no Terraform expression: those are checked where they are set). */
const isLiteral = (value: unknown): value is string => typeof value === "string" && !value.includes("${");

/** Every name the stack sets literally, with the rule it must meet. */
function namedArguments(stack: SynthesizedStack): Array<{ resource: SynthesizedResource; argument: string; value: string; rule: NameRule; prefix: boolean }> {
  return Object.entries(NAME_RULES).flatMap(([type, rules]) =>
    stack.resources(type).flatMap((resource) =>
      Object.entries(rules).flatMap(([argument, rule]) => {
        const prefixArgument = prefixArgumentOf(argument);
        const named = [
          { argument, value: argumentAt(resource.values, argument), prefix: false },
          ...(prefixArgument !== argument ? [{ argument: prefixArgument, value: argumentAt(resource.values, prefixArgument), prefix: true }] : []),
        ];
        return named.filter((entry): entry is typeof entry & { value: string } => isLiteral(entry.value)).map((entry) => ({ resource, rule, ...entry }));
      }),
    ),
  );
}

export const resourceNames: GuardrailRule = {
  id: "resource-names",
  requirement:
    "Every name, name prefix and identifier the project sets fits what AWS, Kubernetes or Helm accept for that resource type: length, characters, reserved words (the table in modules/naming/name-rules.ts).",
  rationale:
    "A name over its limit passes the synth and fails `terraform plan` or the API at create time, often in one environment only (its name is longer); checked at synth, it fails for every environment at once.",
  check: (stack) =>
    namedArguments(stack).flatMap(({ resource, argument, value, rule, prefix }) => {
      const problem = prefix ? prefixProblem(value, rule) : nameProblem(value, rule);
      return problem ? [{ address: resource.address, message: `${argument} "${value}" ${problem} (${rule.source})` }] : [];
    }),
};

/** The prefix counterpart of a name argument (`name` -> `name_prefix`, `identifier` -> `identifier_prefix`, ...). */
export function prefixArgumentOf(argument: string): string {
  return argument.replace(/(name|identifier|bucket)$/, "$1_prefix");
}

export const replaceableNames: GuardrailRule = {
  id: "names-replaceable",
  requirement: "A resource replaced with create_before_destroy sets a name_prefix (or no name), never a fixed unique name.",
  rationale: 'The replacement is created while the old resource still holds the name, so any change that forces a replacement fails with "already exists".',
  check: (stack) =>
    Object.entries(NAME_RULES).flatMap(([type, rules]) =>
      stack
        .resources(type)
        .filter((resource) => blocks(resource.values.lifecycle).some((lifecycle) => lifecycle.create_before_destroy === true))
        .flatMap((resource) =>
          Object.entries(rules)
            .filter(([argument, rule]) => !rule.shared && argumentAt(resource.values, argument) !== undefined)
            .map(([argument, rule]) => ({
              address: resource.address,
              message:
                rule.prefixMax !== undefined
                  ? `set ${prefixArgumentOf(argument)} instead of ${argument}: create_before_destroy creates the replacement while the old resource holds the name`
                  : `remove create_before_destroy or ${argument} (${type} has no name prefix): the replacement would be created while the old resource holds the name`,
            })),
        ),
    ),
};
