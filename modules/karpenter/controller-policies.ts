import { PolicyStatement } from "../iam/policy-document";

export interface KarpenterPolicyContext {
  /** The cluster Karpenter provisions nodes for. */
  readonly clusterName: string;
  readonly region: string;
  readonly accountId: string;
  /** The role Karpenter's nodes run with (the only role it may pass). */
  readonly nodeRoleArn: string;
  /** The interruption queue and the key that encrypts it. */
  readonly queueArn: string;
  readonly queueKeyArn: string;
}

/** One managed policy of the controller. */
export interface KarpenterPolicy {
  readonly description: string;
  readonly statements: readonly PolicyStatement[];
}

/**
 * The Karpenter v1 controller's permissions, statement for statement those of the reference CloudFormation
 * template of Karpenter 1.14 (getting-started `cloudformation.yaml`), split into the same six managed policies so
 * none approaches IAM's 6,144-character limit. One addition: the interruption queue is encrypted with a
 * customer-managed key (the template uses SQS-managed encryption), so the controller may decrypt its messages.
 * Resource "*" appears only where the reference scopes the statement by conditions on the cluster's tags, the
 * region or the resource identifier, or where the action supports no resource-level permissions.
 */
export function karpenterControllerPolicies(context: KarpenterPolicyContext): Readonly<Record<string, KarpenterPolicy>> {
  const { clusterName, region, accountId } = context;
  const ec2 = (resource: string) => `arn:aws:ec2:${region}:*:${resource}`;
  const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: "owned" };
  const requestOwned = { [`aws:RequestTag/kubernetes.io/cluster/${clusterName}`]: "owned", "aws:RequestTag/eks:eks-cluster-name": clusterName };
  const launchedResources = ["fleet/*", "instance/*", "volume/*", "network-interface/*", "launch-template/*", "spot-instances-request/*"].map(ec2);
  const instanceProfiles = `arn:aws:iam::${accountId}:instance-profile/*`;
  const clusterArn = `arn:aws:eks:${region}:${accountId}:cluster/${clusterName}`;

  return {
    "node-lifecycle": {
      description: "Karpenter: launch, tag and terminate this cluster's nodes",
      statements: [
        {
          Sid: "AllowScopedEC2InstanceAccessActions",
          Effect: "Allow",
          Resource: [
            `arn:aws:ec2:${region}::image/*`,
            `arn:aws:ec2:${region}::snapshot/*`,
            ec2("security-group/*"),
            ec2("subnet/*"),
            ec2("capacity-reservation/*"),
            ec2("placement-group/*"),
          ],
          Action: ["ec2:RunInstances", "ec2:CreateFleet"],
        },
        {
          Sid: "AllowScopedEC2LaunchTemplateAccessActions",
          Effect: "Allow",
          Resource: ec2("launch-template/*"),
          Action: ["ec2:RunInstances", "ec2:CreateFleet"],
          Condition: { StringEquals: owned, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
        },
        {
          Sid: "AllowScopedEC2InstanceActionsWithTags",
          Effect: "Allow",
          Resource: launchedResources,
          Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
          Condition: { StringEquals: requestOwned, StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" } },
        },
        {
          Sid: "AllowScopedResourceCreationTagging",
          Effect: "Allow",
          Resource: launchedResources,
          Action: "ec2:CreateTags",
          Condition: {
            StringEquals: { ...requestOwned, "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"] },
            StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
          },
        },
        {
          Sid: "AllowScopedResourceTagging",
          Effect: "Allow",
          Resource: ec2("instance/*"),
          Action: "ec2:CreateTags",
          Condition: {
            StringEquals: owned,
            StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
            StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": clusterName },
            "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
          },
        },
        {
          Sid: "AllowScopedDeletion",
          Effect: "Allow",
          Resource: [ec2("instance/*"), ec2("launch-template/*")],
          Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
          Condition: { StringEquals: owned, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
        },
      ],
    },
    "iam-integration": {
      description: "Karpenter: pass the node role and manage this cluster's instance profiles",
      statements: [
        {
          Sid: "AllowPassingInstanceRole",
          Effect: "Allow",
          Resource: context.nodeRoleArn,
          Action: "iam:PassRole",
          Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
        },
        {
          Sid: "AllowScopedInstanceProfileCreationActions",
          Effect: "Allow",
          Resource: instanceProfiles,
          Action: "iam:CreateInstanceProfile",
          Condition: {
            StringEquals: { ...requestOwned, "aws:RequestTag/topology.kubernetes.io/region": region },
            StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
          },
        },
        {
          Sid: "AllowScopedInstanceProfileTagActions",
          Effect: "Allow",
          Resource: instanceProfiles,
          Action: "iam:TagInstanceProfile",
          Condition: {
            StringEquals: {
              ...owned,
              "aws:ResourceTag/topology.kubernetes.io/region": region,
              ...requestOwned,
              "aws:RequestTag/topology.kubernetes.io/region": region,
            },
            StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
          },
        },
        {
          Sid: "AllowScopedInstanceProfileActions",
          Effect: "Allow",
          Resource: instanceProfiles,
          Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
          Condition: {
            StringEquals: { ...owned, "aws:ResourceTag/topology.kubernetes.io/region": region },
            StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
          },
        },
      ],
    },
    "eks-integration": {
      description: "Karpenter: discover the cluster's API endpoint",
      statements: [{ Sid: "AllowAPIServerEndpointDiscovery", Effect: "Allow", Resource: clusterArn, Action: "eks:DescribeCluster" }],
    },
    interruption: {
      description: "Karpenter: consume the interruption queue",
      statements: [
        {
          Sid: "AllowInterruptionQueueActions",
          Effect: "Allow",
          Resource: context.queueArn,
          Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
        },
        {
          Sid: "AllowInterruptionQueueDecryption",
          Effect: "Allow",
          Resource: context.queueKeyArn,
          Action: "kms:Decrypt",
          Condition: { StringEquals: { "kms:ViaService": `sqs.${region}.amazonaws.com` } },
        },
      ],
    },
    "zonal-shift": {
      description: "Karpenter: read the cluster's zonal shift status",
      statements: [
        {
          Sid: "AllowZonalShiftStatusReadOnly",
          Effect: "Allow",
          Resource: "*",
          Action: "arc-zonal-shift:GetManagedResource",
          Condition: { StringEquals: { "arc-zonal-shift:ResourceIdentifier": clusterArn } },
        },
      ],
    },
    "resource-discovery": {
      description: "Karpenter: discover instance types, prices, images, subnets and security groups",
      statements: [
        {
          Sid: "AllowRegionalReadActions",
          Effect: "Allow",
          Resource: "*",
          Action: [
            "ec2:DescribeCapacityReservations",
            "ec2:DescribeImages",
            "ec2:DescribeInstances",
            "ec2:DescribeInstanceStatus",
            "ec2:DescribeInstanceTypeOfferings",
            "ec2:DescribeInstanceTypes",
            "ec2:DescribeLaunchTemplates",
            "ec2:DescribePlacementGroups",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeSpotPriceHistory",
            "ec2:DescribeSubnets",
          ],
          Condition: { StringEquals: { "aws:RequestedRegion": region } },
        },
        { Sid: "AllowSSMReadActions", Effect: "Allow", Resource: `arn:aws:ssm:${region}::parameter/aws/service/*`, Action: "ssm:GetParameter" },
        { Sid: "AllowPricingReadActions", Effect: "Allow", Resource: "*", Action: "pricing:GetProducts" },
        { Sid: "AllowUnscopedInstanceProfileListAction", Effect: "Allow", Resource: "*", Action: "iam:ListInstanceProfiles" },
        { Sid: "AllowInstanceProfileReadActions", Effect: "Allow", Resource: instanceProfiles, Action: "iam:GetInstanceProfile" },
      ],
    },
  };
}
