import { Construct } from "constructs";
import { SecurityGroup } from "../network/security-group";

/**
 * Ports the control plane calls on nodes and pods, each with what serves it there (the API server reaches webhooks
 * and aggregated APIs at the pod's IP and target port, which the VPC CNI puts in the node security group). Nothing
 * else is opened: a new webhook on another port needs its entry here. The charts pin these ports in helm-values/.
 */
export const CONTROL_PLANE_TO_NODE_PORTS = [
  {
    name: "kubelet",
    port: 10250,
    servedBy: ["kubelet API (logs, exec, port-forward)", "metrics-server (its aggregated API)", "external-secrets admission webhook"],
  },
  {
    name: "webhooks-9443",
    port: 9443,
    servedBy: ["aws-load-balancer-controller admission webhooks", "amazon-cloudwatch-observability operator webhook"],
  },
] as const;

export interface ClusterSecurityGroupsProps {
  /** Cluster name; prefixes the groups' names and is the Karpenter discovery tag of the node group. */
  readonly clusterName: string;
  /** The VPC. */
  readonly vpcId: string;
}

/**
 * The cluster's two security groups: `controlPlane` (attached to the control plane's network interfaces next to the
 * one EKS creates) and `nodes` (every node, system or Karpenter, and so every pod: the VPC CNI gives pods the node's
 * groups). Nodes talk to each other freely (the pod network; NetworkPolicies restrict pods), reach the API server on
 * 443 and the outside through NAT; the control plane reaches kubelets and webhooks.
 */
export class ClusterSecurityGroups extends Construct {
  readonly controlPlane: SecurityGroup;
  readonly nodes: SecurityGroup;

  constructor(scope: Construct, id: string, props: ClusterSecurityGroupsProps) {
    super(scope, id);
    this.controlPlane = new SecurityGroup(this, "control-plane", {
      groupName: `${props.clusterName}-control-plane`,
      description: `EKS control plane of ${props.clusterName}: API from nodes, calls to kubelets and webhooks`,
      vpcId: props.vpcId,
    });
    this.nodes = new SecurityGroup(this, "nodes", {
      groupName: `${props.clusterName}-nodes`,
      description: `Nodes and pods of ${props.clusterName}`,
      vpcId: props.vpcId,
      tags: { "karpenter.sh/discovery": props.clusterName },
    });

    this.controlPlane.allowFrom("nodes-https", this.nodes.id, 443, "Kubernetes API from nodes and pods");
    for (const { name, port, servedBy } of CONTROL_PLANE_TO_NODE_PORTS) {
      const description = `Control plane to nodes: ${servedBy.join(", ")}`;
      this.controlPlane.allowTo(name, this.nodes.id, port, description);
      this.nodes.allowFrom(`control-plane-${name}`, this.controlPlane.id, port, description);
    }
    this.nodes.allowFrom("nodes-all", this.nodes.id, { from: 0, to: 0, protocol: "-1" }, "Node to node and pod to pod traffic (NetworkPolicies filter pods)");
    this.nodes.allowToCidr("anywhere", "0.0.0.0/0", { from: 0, to: 0, protocol: "-1" }, "Outbound through NAT and VPC endpoints (images, AWS APIs)");
  }
}
