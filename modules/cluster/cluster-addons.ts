import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { EksCluster } from "./eks-cluster";
import { SYSTEM_NODE_LABEL } from "./system-node-group";

/** Pinned versions of the EKS add-ons (never "latest"). */
export interface AddonVersions {
  readonly vpcCni: string;
  readonly kubeProxy: string;
  readonly podIdentityAgent: string;
  readonly coredns: string;
  readonly ebsCsiDriver: string;
  /** Container Insights (`amazon-cloudwatch-observability`, installed by `ContainerInsights`). */
  readonly cloudwatchObservability: string;
}

const CRITICAL_ADDONS_TOLERATION = { key: "CriticalAddonsOnly", operator: "Exists" };

export interface ClusterAddonsProps {
  /** The cluster. */
  readonly cluster: EksCluster;
  /** Pinned versions. */
  readonly versions: AddonVersions;
  /** The VPC CNI's own role (`kube-system/aws-node`, through Pod Identity): the nodes' role holds no CNI permission. */
  readonly vpcCniRoleArn: string;
}

/**
 * The tag the EBS CSI driver's cluster-scoped policy (`AmazonEBSCSIDriverEKSClusterScopedPolicy`) requires on the
 * volumes and snapshots it manages (equal to the session's `eks-cluster-name`) and accepts on the instances it attaches
 * them to (managed node groups carry `eks:cluster-name`; Karpenter's nodes carry this one).
 */
export const EBS_CSI_CLUSTER_TAG = "ebs.csi.aws.com/cluster-name";

/** The VPC CNI's service account. */
export const VPC_CNI_SERVICE_ACCOUNT = { namespace: "kube-system", serviceAccount: "aws-node" } as const;

/**
 * The EKS add-ons, in two waves. Networking (vpc-cni with network policy enforcement, kube-proxy) and the Pod
 * Identity agent come first: nodes need them to become Ready. CoreDNS and the EBS CSI driver come after the system
 * nodes exist (`addAfterNodes`), pinned to them, so their creation never waits on nodes that are not there yet.
 */
export class ClusterAddons extends Construct {
  /** The add-ons nodes need before they can join. */
  readonly beforeNodes: ITerraformDependable[];
  /** The VPC CNI add-on (its role's policies must exist before it starts). */
  readonly vpcCni: EksAddon;
  private readonly props: ClusterAddonsProps;

  constructor(scope: Construct, id: string, props: ClusterAddonsProps) {
    super(scope, id);
    this.props = props;
    this.vpcCni = this.addon("vpc-cni", props.versions.vpcCni, { enableNetworkPolicy: "true" }, [], [
      { roleArn: props.vpcCniRoleArn, serviceAccount: VPC_CNI_SERVICE_ACCOUNT.serviceAccount },
    ]);
    this.beforeNodes = [
      this.vpcCni,
      this.addon("kube-proxy", props.versions.kubeProxy),
      this.addon("eks-pod-identity-agent", props.versions.podIdentityAgent),
    ];
  }

  /**
   * Adds CoreDNS and the EBS CSI driver once `nodes` exist, both scheduled onto the system nodes. `ebsCsiIdentity`
   * is the driver's Pod Identity association, which must exist before the driver starts.
   */
  addAfterNodes(nodes: ITerraformDependable, ebsCsiIdentity: ITerraformDependable): void {
    const onSystemNodes = { nodeSelector: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value }, tolerations: [CRITICAL_ADDONS_TOLERATION] };
    this.addon("coredns", this.props.versions.coredns, { replicaCount: 2, ...onSystemNodes }, [nodes]);
    this.addon(
      "aws-ebs-csi-driver",
      this.props.versions.ebsCsiDriver,
      { controller: { ...onSystemNodes, extraVolumeTags: { [EBS_CSI_CLUSTER_TAG]: this.props.cluster.configuredName } } },
      [nodes, ebsCsiIdentity],
    );
  }

  private addon(
    name: string,
    version: string,
    configuration?: object,
    dependsOn: ITerraformDependable[] = [],
    podIdentityAssociation?: { readonly roleArn: string; readonly serviceAccount: string }[],
  ): EksAddon {
    return new EksAddon(this, name, {
      clusterName: this.props.cluster.name,
      addonName: name,
      addonVersion: version,
      configurationValues: configuration ? JSON.stringify(configuration) : undefined,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      podIdentityAssociation,
      dependsOn,
    });
  }
}
