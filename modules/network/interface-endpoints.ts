// The interface endpoints an environment's VPC may have: data the configuration schema checks, without the constructs.

/**
 * Interface endpoints every environment has: image pulls (ECR), credentials (STS), logs, secrets, keys, Step
 * Functions, SQS, EC2 and ELB APIs (Karpenter, the load balancer controller) and Session Manager stay on the AWS
 * network.
 */
export const REQUIRED_INTERFACE_ENDPOINTS = [
  "ecr.api",
  "ecr.dkr",
  "sts",
  "logs",
  "secretsmanager",
  "kms",
  "states",
  "sqs",
  "ec2",
  "elasticloadbalancing",
  // Session Manager: the session host's agent (and the nodes') without NAT.
  "ssm",
  "ssmmessages",
  "ec2messages",
  // The Batch instances' ECS agent: the analysis jobs have no path to the internet, NAT included.
  "ecs",
  "ecs-agent",
  "ecs-telemetry",
] as const;

/** The required endpoints plus the EKS API, EKS Pod Identity credentials and the Redshift Data API. */
export const DEFAULT_INTERFACE_ENDPOINTS = [...REQUIRED_INTERFACE_ENDPOINTS, "eks", "eks-auth", "redshift-data"] as const;
