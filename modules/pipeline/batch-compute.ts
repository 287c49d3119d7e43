import { BatchComputeEnvironment } from "@cdktf/provider-aws/lib/batch-compute-environment";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Construct } from "constructs";
import { IamRole, serviceTrust } from "../iam/iam-role";
import { SecurityGroup } from "../network/security-group";

export interface BatchComputeProps {
  /** Resource name prefix, `<project>-<env>`. */
  readonly namePrefix: string;
  /** The VPC and the private subnets instances run in. */
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /** Root volume of each instance, GiB (input files and intermediate results are staged there). */
  readonly volumeGiB: number;
  /** Instance families or types Batch may choose from. */
  readonly instanceTypes: readonly string[];
  /** vCPU ceilings of the Spot and on-demand environments. */
  readonly spotMaxVcpus: number;
  readonly onDemandMaxVcpus: number;
}

/**
 * The Batch capacity of the analysis: a launch template (IMDSv2 only, hop limit 1 so job containers cannot read the
 * instance's credentials; an encrypted gp3 root volume sized for mass-spectrometry files), the instance role, a
 * security group with egress only, and two managed compute environments on ECS_AL2023 that scale from zero: `spot`
 * (SPOT_PRICE_CAPACITY_OPTIMIZED) and `ondemand` (BEST_FIT_PROGRESSIVE).
 *
 * Compute environments are replaced, not updated, when an immutable setting changes. They use name prefixes and
 * create-before-destroy, so a replacement is created and attached to the queues before the old one is detached and
 * deleted: no "found existing JobQueue relationship" error.
 */
export class BatchCompute extends Construct {
  /** Spot compute environment ARN. */
  readonly spotArn: string;
  /** On-demand compute environment ARN. */
  readonly onDemandArn: string;
  /** Security group of the instances (and so of every job). */
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: BatchComputeProps) {
    super(scope, id);
    const name = `${props.namePrefix}-batch`;
    const instanceRole = new IamRole(this, "instance-role", {
      roleName: `${name}-instance`,
      description: "Batch instances: ECS agent, container logs, SSM access",
      trust: [serviceTrust("ec2.amazonaws.com")],
      managedPolicyArns: [
        "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
      ],
    });
    const instanceProfile = new IamInstanceProfile(this, "instance-profile", { name: `${name}-instance`, role: instanceRole.name });

    this.securityGroup = new SecurityGroup(this, "security-group", {
      groupName: name,
      description: "Batch instances of the analysis pipeline: no inbound, outbound to AWS APIs and the metrics proxy",
      vpcId: props.vpcId,
    });
    this.securityGroup.allowToCidr("https", "0.0.0.0/0", 443, "HTTPS to AWS APIs (S3 through the gateway endpoint, ECR, ECS, logs)");

    const launchTemplate = new LaunchTemplate(this, "launch-template", {
      name,
      description: "Batch instances of the analysis pipeline: IMDSv2, encrypted gp3 root volume",
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { volumeSize: props.volumeGiB, volumeType: "gp3", throughput: 250, encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      tagSpecifications: ["instance", "volume"].map((resourceType) => ({ resourceType, tags: { Name: name } })),
      updateDefaultVersion: true,
    });

    const environment = (kind: "spot" | "ondemand") =>
      new BatchComputeEnvironment(this, kind, {
        namePrefix: `${name}-${kind}-`,
        type: "MANAGED",
        state: "ENABLED",
        computeResources: {
          type: kind === "spot" ? "SPOT" : "EC2",
          allocationStrategy: kind === "spot" ? "SPOT_PRICE_CAPACITY_OPTIMIZED" : "BEST_FIT_PROGRESSIVE",
          minVcpus: 0,
          maxVcpus: kind === "spot" ? props.spotMaxVcpus : props.onDemandMaxVcpus,
          instanceType: [...props.instanceTypes],
          subnets: [...props.subnetIds],
          securityGroupIds: [this.securityGroup.id],
          instanceRole: instanceProfile.arn,
          launchTemplate: { launchTemplateId: launchTemplate.id, version: launchTemplate.latestVersion.toString() },
          ec2Configuration: [{ imageType: "ECS_AL2023" }],
          tags: { Name: `${name}-${kind}` },
        },
        updatePolicy: { jobExecutionTimeoutMinutes: 30, terminateJobsOnUpdate: false },
        lifecycle: { createBeforeDestroy: true },
      });
    this.spotArn = environment("spot").arn;
    this.onDemandArn = environment("ondemand").arn;
  }
}
