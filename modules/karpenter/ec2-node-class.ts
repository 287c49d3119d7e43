import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { KarpenterModels, validated } from "./karpenter-models";

export interface Ec2NodeClassProps {
  /** The Karpenter models (validation against the CRD schema). */
  readonly models: KarpenterModels;
  /** Object name. */
  readonly name: string;
  /** Cluster name: value of the `karpenter.sh/discovery` tag of the subnets and security group to use. */
  readonly clusterName: string;
  /** IAM role of the nodes (Karpenter manages the instance profile). */
  readonly nodeRoleName: string;
  /** AMI alias, `al2023@v<date>` (pinned; `@latest` only outside production). */
  readonly amiAlias: string;
  /** Root volume size, GiB. */
  readonly rootVolumeGiB: number;
  /** Tags of every instance, volume and interface Karpenter launches (provider default tags do not reach them). */
  readonly tags: Readonly<Record<string, string>>;
  /** What must exist first: the Karpenter controller (which needs its CRDs), whose finalizer the class carries. */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * The EC2NodeClass every NodePool of the platform uses: the pinned AL2023 AMI, the cluster's private subnets and node
 * security group (found by their discovery tag), the Karpenter node role, IMDSv2 only with a hop limit of 1, an
 * encrypted gp3 root volume, the environment's tags. Validated against the Karpenter v1 CRD schema at synth.
 */
export class Ec2NodeClass extends Construct {
  /** Object name, for NodePools' nodeClassRef. */
  readonly name: string;
  /** The manifest resource. */
  readonly manifest: Manifest;

  constructor(scope: Construct, id: string, props: Ec2NodeClassProps) {
    super(scope, id);
    this.name = props.name;
    const discovery = [{ tags: { "karpenter.sh/discovery": props.clusterName } }];
    const model = validated(
      new props.models.EC2NodeClass({
        metadata: { name: props.name },
        spec: {
          role: props.nodeRoleName,
          amiSelectorTerms: [{ alias: props.amiAlias }],
          subnetSelectorTerms: discovery,
          securityGroupSelectorTerms: discovery,
          metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, httpProtocolIPv6: "disabled" },
          blockDeviceMappings: [
            {
              deviceName: "/dev/xvda",
              ebs: { volumeSize: `${props.rootVolumeGiB}Gi`, volumeType: "gp3", encrypted: true, deleteOnTermination: true },
            },
          ],
          tags: { ...props.tags },
        },
      }),
      "EC2NodeClass",
      props.name,
      scope.node.path,
    );
    this.manifest = new Manifest(this, "manifest", { manifest: model.toJSON() as Record<string, unknown>, dependsOn: [...props.dependsOn] });
  }
}
