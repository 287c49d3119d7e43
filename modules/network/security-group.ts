import { SecurityGroup as SecurityGroupResource } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";

export interface SecurityGroupProps {
  /** Group name. */
  readonly groupName: string;
  /** What the group protects. */
  readonly description: string;
  /** The VPC. */
  readonly vpcId: string;
  /** Extra tags (e.g. Karpenter discovery). @default Name only */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A security group whose rules are separate, described resources, added through methods that name the peer group
 * and the port; it starts with no rules at all (Terraform removes AWS's default allow-all egress).
 */
export class SecurityGroup extends Construct {
  /** Security group id. */
  readonly id: string;
  private readonly names = new Set<string>();

  constructor(scope: Construct, id: string, props: SecurityGroupProps) {
    super(scope, id);
    this.id = new SecurityGroupResource(this, "group", {
      name: props.groupName,
      description: props.description,
      vpcId: props.vpcId,
      tags: { Name: props.groupName, ...props.tags },
    }).id;
  }

  /** Admits TCP `port` from members of `peerGroupId`. `name` keeps the rule's Terraform id stable. */
  allowFrom(name: string, peerGroupId: string, port: number, description: string): void {
    new VpcSecurityGroupIngressRule(this, this.ruleId("from", name), {
      securityGroupId: this.id,
      referencedSecurityGroupId: peerGroupId,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description,
    });
  }

  /** Admits TCP `port` from a CIDR block (inside the VPC: the guardrails refuse the internet). */
  allowFromCidr(name: string, cidr: string, port: number, description: string): void {
    new VpcSecurityGroupIngressRule(this, this.ruleId("from", name), {
      securityGroupId: this.id,
      cidrIpv4: cidr,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description,
    });
  }

  /** Lets members reach TCP `port` on members of `peerGroupId`. */
  allowTo(name: string, peerGroupId: string, port: number, description: string): void {
    new VpcSecurityGroupEgressRule(this, this.ruleId("to", name), {
      securityGroupId: this.id,
      referencedSecurityGroupId: peerGroupId,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description,
    });
  }

  private ruleId(direction: string, name: string): string {
    const id = `${direction}-${name}`;
    if (this.names.has(id)) throw new Error(`Security group ${this.node.path} already has a rule named ${id}`);
    this.names.add(id);
    return id;
  }
}
