import { DbProxy } from "@cdktf/provider-aws/lib/db-proxy";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Aspects, TerraformStack, Testing } from "cdktf";
import { guardrailViolations } from "../../modules/guardrails/guardrail-report";
import { GuardrailsAspect } from "../../modules/guardrails/guardrails-aspect";
import { GuardrailContext, STRICT_CONTEXT } from "../../modules/guardrails/rule";
import { privateApiIngress } from "../../modules/guardrails/rules/network";

/** A cluster and a proxy whose security groups admit `sources` (a security group id or a CIDR each). */
function violationsFor(sources: readonly string[], context: GuardrailContext = STRICT_CONTEXT): string[] {
  const app = Testing.app();
  const stack = new TerraformStack(app, "fixture");
  new AwsProvider(stack, "aws", { region: "sa-east-1" });
  Aspects.of(stack).add(new GuardrailsAspect(context, [privateApiIngress]));
  const controlPlane = new SecurityGroup(stack, "control-plane", { name: "control-plane", description: "x", vpcId: "vpc-1" });
  const proxyGroup = new SecurityGroup(stack, "proxy", { name: "proxy", description: "x", vpcId: "vpc-1" });
  const other = new SecurityGroup(stack, "other", { name: "other", description: "x", vpcId: "vpc-1" });
  new EksCluster(stack, "cluster", { name: "x", roleArn: "arn:aws:iam::111122223333:role/x", vpcConfig: { subnetIds: ["subnet-1"], securityGroupIds: [controlPlane.id] } });
  new DbProxy(stack, "db-proxy", { name: "x", engineFamily: "POSTGRESQL", roleArn: "arn:aws:iam::111122223333:role/x", vpcSubnetIds: ["subnet-1"], vpcSecurityGroupIds: [proxyGroup.id], auth: [{ authScheme: "SECRETS" }] });
  for (const [index, source] of sources.entries()) {
    for (const [target, group] of [["eks", controlPlane], ["proxy", proxyGroup], ["other", other]] as const) {
      new VpcSecurityGroupIngressRule(stack, `${target}-${index}`, {
        securityGroupId: group.id,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "x",
        ...(source.startsWith("sg-") ? { referencedSecurityGroupId: source } : { cidrIpv4: source }),
      });
    }
  }
  try {
    app.synth();
  } catch {
    // The violations are read from the report below; the synth refuses to finish when there are any.
  }
  return guardrailViolations(app).map(({ address, message }) => `${address}: ${message}`);
}

describe("private-api-ingress", () => {
  it("admits security groups and private CIDRs to the Kubernetes API and the proxy", () => {
    expect(violationsFor(["sg-0123456789abcdef0", "10.60.0.0/16", "172.16.4.0/24", "192.168.1.0/24"])).toEqual([]);
  });

  it("refuses a public range, naming the rule and the protected group; other groups are not its concern", () => {
    expect(violationsFor(["203.0.113.0/24"])).toEqual([
      "aws_vpc_security_group_ingress_rule.eks-0: admit a security group or a CIDR inside the private ranges to aws_security_group.control-plane, not another range",
      "aws_vpc_security_group_ingress_rule.proxy-0: admit a security group or a CIDR inside the private ranges to aws_security_group.proxy, not another range",
    ]);
  });

  it("refuses a range that only starts inside a private one", () => {
    expect(violationsFor(["10.0.0.0/7"])).toHaveLength(2);
  });

  describe("in an environment (its VPC and its listed API clients)", () => {
    const context: GuardrailContext = { ...STRICT_CONTEXT, privateApiClientCidrs: ["10.20.0.0/16", "10.10.2.0/23"] };

    it("admits the VPC and the listed clients' networks, or parts of them", () => {
      expect(violationsFor(["10.20.0.0/16", "10.20.32.0/19", "10.10.2.0/24", "sg-0123456789abcdef0"], context)).toEqual([]);
    });

    it("refuses any other private network (another environment's VPC, the rest of the tooling VPC)", () => {
      expect(violationsFor(["10.30.0.0/16"], context)).toEqual([
        "aws_vpc_security_group_ingress_rule.eks-0: admit a security group or a CIDR inside 10.20.0.0/16, 10.10.2.0/23 to aws_security_group.control-plane, not another range",
        "aws_vpc_security_group_ingress_rule.proxy-0: admit a security group or a CIDR inside 10.20.0.0/16, 10.10.2.0/23 to aws_security_group.proxy, not another range",
      ]);
      expect(violationsFor(["10.10.0.0/22"], context)).toHaveLength(2);
    });
  });
});
