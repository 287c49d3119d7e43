import { BatchComputeEnvironment } from "@cdktf/provider-aws/lib/batch-compute-environment";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Construct } from "constructs";
import { IamRole, serviceTrust } from "../iam/iam-role";
import { SecurityGroup } from "../network/security-group";
import { providerDefaultTags } from "../tagging/default-tags";
import { IMDSV2_ONLY, launchTagSpecifications } from "../compute/launch-template-defaults";

/**
 * How long the ECS agent keeps a stopped job's containers, and with them its Docker volumes (`/scratch`, `/tmp`),
 * before removing them. The agent's default is 3h, during which a busy instance would hold the scratch of every
 * job it finished in that time.
 */
export const TASK_CLEANUP_WAIT = "10m";

/** MIME boundary of the user data (Batch accepts launch template user data only as MIME multi-part). */
const USER_DATA_BOUNDARY = "==ANALYSIS-BATCH==";

/**
 * User data of the Batch instances, as MIME multi-part: Batch merges its own part (which joins the instance to the
 * compute environment's ECS cluster) with ours. Ours only appends agent settings to /etc/ecs/ecs.config, before the
 * agent starts.
 */
export function batchUserData(settings: Readonly<Record<string, string>>): string {
  return [
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${USER_DATA_BOUNDARY}"`,
    "",
    `--${USER_DATA_BOUNDARY}`,
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    "",
    "#!/bin/bash",
    "set -euo pipefail",
    ...Object.entries(settings).map(([key, value]) => `echo "${key}=${value}" >> /etc/ecs/ecs.config`),
    "",
    `--${USER_DATA_BOUNDARY}--`,
    "",
  ].join("\n");
}

export interface BatchComputeProps {
  /** Resource name prefix, `<project>-<env>`. */
  readonly namePrefix: string;
  /** The VPC and the private subnets instances run in. */
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /**
   * Where the instances (and so every job) may connect: the VPC's interface endpoints (their security group) and S3's
   * prefix list (the gateway endpoint). No internet path: a job parsing an untrusted file cannot reach any host.
   */
  readonly endpointSecurityGroupId: string;
  readonly s3PrefixListId: string;
  /**
   * Root volume of each instance, GiB: the OS and images, and the per-job scratch volumes of every job the largest
   * instance runs at once (see `instance-families.ts`, which derives it from the job sizes).
   */
  readonly volumeGiB: number;
  /** Instance families or types Batch may choose from. */
  readonly instanceTypes: readonly string[];
  /** vCPU ceilings of the Spot and on-demand environments. */
  readonly spotMaxVcpus: number;
  readonly onDemandMaxVcpus: number;
  /**
   * Tags of the instances and their volumes, for cost allocation (the provider's default tags do not reach what
   * Batch launches). A `Name` tag is added. @default the default_tags of the stack's AWS provider
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The Batch capacity of the analysis: a launch template (IMDSv2 only, hop limit 1 so job containers cannot read the
 * instance's credentials; an encrypted gp3 root volume sized by the capacity model; user data that has the ECS agent
 * remove stopped jobs' scratch volumes after {@link TASK_CLEANUP_WAIT}; the environment's cost tags on instances and
 * volumes), the instance role, a security group with egress only, and two managed compute environments on
 * ECS_AL2023 that scale from zero: `spot` (SPOT_PRICE_CAPACITY_OPTIMIZED) and `ondemand` (BEST_FIT_PROGRESSIVE),
 * whose `compute_resources.tags` carry the same tags.
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
    const tags = props.tags ?? providerDefaultTags(this);
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
    this.securityGroup.allowTo("endpoints", props.endpointSecurityGroupId, 443, "HTTPS to AWS APIs through the VPC's interface endpoints (ECR, ECS, logs, STS)");
    this.securityGroup.allowToPrefixList("s3", props.s3PrefixListId, 443, "HTTPS to S3 through the gateway endpoint (uploads, results, image layers)");

    const launchTemplate = new LaunchTemplate(this, "launch-template", {
      name,
      description: "Batch instances of the analysis pipeline: IMDSv2, encrypted gp3 root volume, short task cleanup",
      metadataOptions: IMDSV2_ONLY,
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { volumeSize: props.volumeGiB, volumeType: "gp3", throughput: 250, encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      userData: Buffer.from(batchUserData({ ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION: TASK_CLEANUP_WAIT })).toString("base64"),
      tagSpecifications: launchTagSpecifications(["instance", "volume"], tags, name),
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
          tags: { ...tags, Name: `${name}-${kind}` },
        },
        updatePolicy: { jobExecutionTimeoutMinutes: 30, terminateJobsOnUpdate: false },
        lifecycle: { createBeforeDestroy: true },
      });
    const spot = environment("spot");
    const onDemand = environment("ondemand");
    // Instances join the ECS cluster with the instance role's policies; on delete, they keep them until drained.
    instanceRole.grantsBefore(spot);
    instanceRole.grantsBefore(onDemand);
    this.spotArn = spot.arn;
    this.onDemandArn = onDemand.arn;
  }
}
