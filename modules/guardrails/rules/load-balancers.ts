import { GuardrailRule } from "../rule";
import { SynthesizedResource, SynthesizedStack, blocks, refersTo } from "../synthesized-stack";

/** Source ranges that mean "anyone". */
const ANYONE = ["0.0.0.0/0", "::/0"];

/** Does a listener action hand the request to a target (rather than answer it: fixed response, redirect)? */
const forwards = (actions: unknown) => blocks(actions).some((action) => action.type === "forward" || action.type === "authenticate-oidc" || action.type === "authenticate-cognito");

/** Problems of one listener rule's or default action's reach: forwarded only from named networks, never from anyone. */
function sourceProblem(conditions: unknown): string | undefined {
  const sources = blocks(conditions).flatMap((condition) => blocks(condition.source_ip).flatMap((sourceIp) => (Array.isArray(sourceIp.values) ? sourceIp.values : [])));
  if (sources.length === 0) return "forwards requests from anyone: add a source_ip condition with the networks that may reach the targets";
  const open = sources.filter((source) => typeof source === "string" && ANYONE.includes(source));
  return open.length > 0 ? `forwards requests from ${open.join(", ")}: list the networks that may reach the targets` : undefined;
}

/** The listeners and listener rules of a load balancer in the stack. */
function listenersOf(stack: SynthesizedStack, loadBalancer: SynthesizedResource) {
  const listeners = stack.resources("aws_lb_listener").filter((listener) => refersTo(listener.values.load_balancer_arn, loadBalancer));
  const rules = stack.resources("aws_lb_listener_rule").filter((rule) => listeners.some((listener) => refersTo(rule.values.listener_arn, listener)));
  return { listeners, rules };
}

export const publicLoadBalancer: GuardrailRule = {
  id: "public-load-balancer",
  requirement:
    "Every internet-facing load balancer the stacks create (Atlantis's) has a WAF web ACL associated, listens on HTTPS only, and forwards a request only under a source_ip condition that names networks (GitHub's hook ranges on POST /events, the operators' networks), never 0.0.0.0/0 or ::/0; its default actions answer without forwarding.",
  rationale:
    "Atlantis holds every environment's plan and deploy credentials: its webhook and UI are reached from the internet only by GitHub and by the operators, and even those requests pass the firewall first.",
  check: (stack) =>
    stack
      .resources("aws_lb")
      .filter((loadBalancer) => loadBalancer.values.internal !== true && loadBalancer.values.internal !== "true")
      .flatMap((loadBalancer) => {
        const { listeners, rules } = listenersOf(stack, loadBalancer);
        const waf = stack.resources("aws_wafv2_web_acl_association").some((association) => refersTo(association.values.resource_arn, loadBalancer));
        return [
          ...(waf ? [] : [{ address: loadBalancer.address, message: "associate a WAF web ACL (aws_wafv2_web_acl_association) with the internet-facing load balancer" }]),
          ...listeners
            .filter((listener) => listener.values.protocol !== "HTTPS")
            .map((listener) => ({ address: listener.address, message: `listen on HTTPS only (got ${String(listener.values.protocol)})` })),
          ...listeners
            .filter((listener) => forwards(listener.values.default_action))
            .map((listener) => ({ address: listener.address, message: "answer unmatched requests with a fixed response: the default action must not forward" })),
          ...rules.flatMap((rule) => {
            const problem = forwards(rule.values.action) ? sourceProblem(rule.values.condition) : undefined;
            return problem ? [{ address: rule.address, message: problem }] : [];
          }),
        ];
      }),
};
