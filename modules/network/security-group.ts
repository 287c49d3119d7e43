import { SecurityGroup as SecurityGroupResource } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";

/** A TCP port, or a range and protocol (`-1` for all traffic, whose ports are ignored). */
export type Ports = number | { readonly from: number; readonly to: number; readonly protocol?: "tcp" | "udp" | "-1" };

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

/** Where a rule's peer is: another security group (or this one), a CIDR block, or a managed prefix list. */
type Peer = { readonly group: string } | { readonly cidr: string } | { readonly prefixList: string };

/**
 * A security group whose rules are separate, described resources, added through methods that name the peer and the
 * ports; it starts with no rules at all (Terraform removes AWS's default allow-all egress). A rule can be created in
 * another stack's scope (`scope`), so a stack that depends on this one can register itself as a client without a
 * dependency cycle.
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

  /** Admits `ports` from members of `peerGroupId`. `name` keeps the rule's Terraform id stable. */
  allowFrom(name: string, peerGroupId: string, ports: Ports, description: string, scope: Construct = this): void {
    this.rule(scope, "ingress", name, { group: peerGroupId }, ports, description);
  }

  /** Admits `ports` from a CIDR block (inside the VPC: the guardrails refuse the internet). */
  allowFromCidr(name: string, cidr: string, ports: Ports, description: string): void {
    this.rule(this, "ingress", name, { cidr }, ports, description);
  }

  /** Lets members reach `ports` on members of `peerGroupId`. */
  allowTo(name: string, peerGroupId: string, ports: Ports, description: string): void {
    this.rule(this, "egress", name, { group: peerGroupId }, ports, description);
  }

  /** Lets members reach `ports` at a CIDR block (e.g. `0.0.0.0/0` through the NAT gateways). */
  allowToCidr(name: string, cidr: string, ports: Ports, description: string): void {
    this.rule(this, "egress", name, { cidr }, ports, description);
  }

  /** Lets members reach `ports` at the addresses of a managed prefix list (e.g. S3's, behind its gateway endpoint). */
  allowToPrefixList(name: string, prefixListId: string, ports: Ports, description: string): void {
    this.rule(this, "egress", name, { prefixList: prefixListId }, ports, description);
  }

  private rule(scope: Construct, direction: "ingress" | "egress", name: string, peer: Peer, ports: Ports, description: string): void {
    const rule = `${direction === "ingress" ? "from" : "to"}-${name}`;
    // A rule created in another stack is named after this group's path, so several groups can have one there.
    const id = scope === this ? rule : `${this.node.path.split("/").slice(1).join("-")}-${rule}`;
    const key = `${scope.node.path}/${id}`;
    if (this.names.has(key)) throw new Error(`Security group ${this.node.path} already has a rule named ${id}`);
    this.names.add(key);
    const range = typeof ports === "number" ? { from: ports, to: ports, protocol: "tcp" as const } : { protocol: "tcp" as const, ...ports };
    const config = {
      securityGroupId: this.id,
      description,
      ipProtocol: range.protocol,
      ...(range.protocol === "-1" ? {} : { fromPort: range.from, toPort: range.to }),
      ...("group" in peer ? { referencedSecurityGroupId: peer.group } : "cidr" in peer ? { cidrIpv4: peer.cidr } : { prefixListId: peer.prefixList }),
    };
    if (direction === "ingress") new VpcSecurityGroupIngressRule(scope, id, config);
    else new VpcSecurityGroupEgressRule(scope, id, config);
  }
}
