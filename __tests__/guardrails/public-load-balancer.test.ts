import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule, LbListenerRuleCondition } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Aspects, TerraformStack, Testing } from "cdktf";
import { guardrailViolations } from "../../modules/guardrails/guardrail-report";
import { GuardrailsAspect } from "../../modules/guardrails/guardrails-aspect";
import { STRICT_CONTEXT } from "../../modules/guardrails/rule";
import { publicLoadBalancer } from "../../modules/guardrails/rules/load-balancers";
import { TOOLING } from "../helpers/environments";
import { resourcesOf, synthesizedStacks } from "../helpers/synth";

interface Fixture {
  readonly internal?: boolean;
  readonly waf?: boolean;
  readonly protocol?: "HTTPS" | "HTTP";
  readonly defaultForwards?: boolean;
  readonly webhookSources?: readonly string[] | "none";
}

const WEBHOOK = ["192.30.252.0/22", "185.199.108.0/22"];

/** A load balancer with one listener and a webhook rule (POST /events), checked by the rule alone. */
function violationsFor(fixture: Fixture = {}): string[] {
  const app = Testing.app();
  const stack = new TerraformStack(app, "fixture");
  new AwsProvider(stack, "aws", { region: "sa-east-1" });
  Aspects.of(stack).add(new GuardrailsAspect(STRICT_CONTEXT, [publicLoadBalancer]));
  const loadBalancer = new Lb(stack, "alb", { name: "atlantis", internal: fixture.internal ?? false, loadBalancerType: "application", subnets: ["subnet-1", "subnet-2"] });
  if (fixture.waf ?? true) new Wafv2WebAclAssociation(stack, "waf", { resourceArn: loadBalancer.arn, webAclArn: "arn:aws:wafv2:sa-east-1:999900001111:regional/webacl/x/1" });
  const forward = [{ type: "forward", targetGroupArn: "arn:aws:elasticloadbalancing:sa-east-1:999900001111:targetgroup/x/1" }];
  const listener = new LbListener(stack, "https", {
    loadBalancerArn: loadBalancer.arn,
    port: 443,
    protocol: fixture.protocol ?? "HTTPS",
    defaultAction: fixture.defaultForwards ? forward : [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }],
  });
  const sources = fixture.webhookSources ?? WEBHOOK;
  const condition: LbListenerRuleCondition[] = [{ pathPattern: { values: ["/events"] } }, ...(sources === "none" ? [] : [{ sourceIp: { values: [...sources] } }])];
  new LbListenerRule(stack, "webhook", { listenerArn: listener.arn, priority: 100, action: forward, condition });
  try {
    app.synth();
  } catch {
    // The violations are read from the report below; the synth refuses to finish when there are any.
  }
  return guardrailViolations(app).map(({ address, message }) => `${address}: ${message}`);
}

describe("public-load-balancer", () => {
  it("admits an internet-facing load balancer behind a WAF, on HTTPS, forwarding only from named networks", () => {
    expect(violationsFor()).toEqual([]);
  });

  it("refuses one without a WAF web ACL", () => {
    expect(violationsFor({ waf: false })).toEqual(["aws_lb.alb: associate a WAF web ACL (aws_wafv2_web_acl_association) with the internet-facing load balancer"]);
  });

  it("refuses a webhook path open to the internet, or to anyone without a source condition", () => {
    expect(violationsFor({ webhookSources: ["0.0.0.0/0"] })).toEqual(["aws_lb_listener_rule.webhook: forwards requests from 0.0.0.0/0: list the networks that may reach the targets"]);
    expect(violationsFor({ webhookSources: "none" })).toEqual([
      "aws_lb_listener_rule.webhook: forwards requests from anyone: add a source_ip condition with the networks that may reach the targets",
    ]);
  });

  it("refuses a plain HTTP listener and a default action that forwards", () => {
    expect(violationsFor({ protocol: "HTTP", defaultForwards: true })).toEqual([
      "aws_lb_listener.https: listen on HTTPS only (got HTTP)",
      "aws_lb_listener.https: answer unmatched requests with a fixed response: the default action must not forward",
    ]);
  });

  it("leaves internal load balancers to the security groups", () => {
    expect(violationsFor({ internal: true, waf: false, webhookSources: "none" })).toEqual([]);
  });

  it("holds for the Atlantis load balancer: every forwarding rule names GitHub's hook ranges or the operators' networks", () => {
    const stack = synthesizedStacks(TOOLING.name)[`${TOOLING.name}-atlantis`];
    const rules = Object.values(resourcesOf(stack, "aws_lb_listener_rule"));
    expect(rules.length).toBeGreaterThan(0);
    const allowed = new Set([...TOOLING.atlantis.webhookCidrs, ...TOOLING.atlantis.uiCidrs]);
    for (const rule of rules) {
      const sources = rule.condition.flatMap((condition: { source_ip?: { values: string[] } }) => condition.source_ip?.values ?? []);
      expect(sources.length).toBeGreaterThan(0);
      for (const source of sources) expect(allowed).toContain(source);
    }
  });
});
