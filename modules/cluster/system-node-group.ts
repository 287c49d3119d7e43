import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { IamRole, serviceTrust } from "../iam/iam-role";
import { providerDefaultTags } from "../tagging/default-tags";
import { EksCluster } from "./eks-cluster";
import { IMDSV2_ONLY, launchTagSpecifications } from "../compute/launch-template-defaults";

/** Label of the system nodes; critical add-ons and the Karpenter controller select it. */
export const SYSTEM_NODE_LABEL = { key: "proteomics.io/node-pool", value: "system" } as const;

/** Taint of the system nodes: only pods that tolerate it (CoreDNS, Karpenter, the controllers) run there. */
export const SYSTEM_NODE_TAINT = { key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" } as const;

/**
 * AWS managed policies of every EKS worker node role. Not `AmazonEKS_CNI_Policy`: the VPC CNI has its own role through
 * Pod Identity, so a pod that reaches the node's credentials cannot change the network interfaces.
 */
export const WORKER_NODE_POLICIES = [
  "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
  "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
] as const;

export interface SystemNodeGroupProps {
  /** The cluster. */
  readonly cluster: EksCluster;
  /** Kubernetes version of the nodes (the cluster's). */
  readonly kubernetesVersion: string;
  /** Account (the node role's trust). */
  readonly accountId: string;
  /** Private subnets, one per zone: the group spreads over all of them. */
  readonly subnetIds: readonly string[];
  /** Security group of the nodes. */
  readonly nodeSecurityGroupId: string;
  /** EKS AMI type, e.g. AL2023_x86_64_STANDARD. */
  readonly amiType: string;
  /** Instance types, in order of preference. */
  readonly instanceTypes: readonly string[];
  /** Group size. */
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  /** Root volume size, GiB. */
  readonly diskSizeGiB: number;
  /** Resources the nodes must wait for (the networking add-ons that make a node Ready). @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * Tags of the nodes' instances, volumes and network interfaces, for cost allocation (the provider's default tags
   * do not reach what the node group launches). A `Name` tag is added. @default the default_tags of the stack's AWS provider
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The managed node group for critical add-ons and the Karpenter controller only: labelled and tainted
 * `CriticalAddonsOnly`, spread over every zone, on-demand, with a launch template that requires IMDSv2 (hop limit
 * 1: pods cannot reach the node's credentials), encrypts a gp3 root volume and tags instances, volumes and network
 * interfaces with the environment's cost tags; no SSH key. Node repair is on. The group is created after every
 * policy of its node role.
 */
export class SystemNodeGroup extends Construct {
  /** Node group resource, for add-ons that need running nodes. */
  readonly nodeGroup: ITerraformDependable;
  /** Node role name. */
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: SystemNodeGroupProps) {
    super(scope, id);
    const name = props.cluster.configuredName;
    const role = new IamRole(this, "role", {
      roleName: `${name}-system-node`,
      description: `System nodes of ${name}`,
      trust: [serviceTrust("ec2.amazonaws.com")],
      managedPolicyArns: WORKER_NODE_POLICIES,
    });
    this.roleName = role.name;
    const launchTemplate = new LaunchTemplate(this, "launch-template", {
      name: `${name}-system`,
      description: `System nodes of ${name}: IMDSv2, encrypted gp3 root volume`,
      vpcSecurityGroupIds: [props.nodeSecurityGroupId],
      metadataOptions: IMDSV2_ONLY,
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { volumeSize: props.diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      monitoring: { enabled: true },
      tagSpecifications: launchTagSpecifications(["instance", "volume", "network-interface"], props.tags ?? providerDefaultTags(this), `${name}-system`),
      updateDefaultVersion: true,
    });
    const nodeGroup = new EksNodeGroup(this, "node-group", {
      clusterName: props.cluster.name,
      nodeGroupName: "system",
      version: props.kubernetesVersion,
      nodeRoleArn: role.arn,
      subnetIds: [...props.subnetIds],
      amiType: props.amiType,
      capacityType: "ON_DEMAND",
      instanceTypes: [...props.instanceTypes],
      scalingConfig: { minSize: props.minSize, desiredSize: props.desiredSize, maxSize: props.maxSize },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.toString() },
      labels: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
      taint: [SYSTEM_NODE_TAINT],
      nodeRepairConfig: { enabled: true },
      // The cluster autoscaling story is Karpenter's; a manual resize of this group must not be undone by a plan.
      lifecycle: { ignoreChanges: ["scaling_config[0].desired_size"] },
      dependsOn: [...(props.dependsOn ?? [])],
    });
    // EKS checks the node role's policies when it creates the group (nodes must be able to join).
    role.grantsBefore(nodeGroup);
    this.nodeGroup = nodeGroup;
  }
}
