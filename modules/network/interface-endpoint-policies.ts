import { PolicyStatement } from "../iam/policy-document";

/**
 * The data perimeter of the interface endpoints that can carry data out: through these, a compromised pod could write
 * customer data into another account's queue, secret, log group or state machine input, or encrypt it under another
 * account's key. Each gets a policy that admits only the listed accounts' resources (`aws:ResourceAccount`).
 *
 * The others carry no customer data, or must reach AWS-owned resources, and keep the default (full access) policy:
 * ECR (add-on images live in AWS's registries), STS (Atlantis assumes the environments' roles; GetCallerIdentity
 * has no resource), Session Manager (AWS-owned documents), and the control-plane APIs of EC2, ELB, EKS, EKS Pod
 * Identity and ECS.
 */
export const PERIMETER_INTERFACE_SERVICES = ["kms", "logs", "secretsmanager", "sqs", "states", "redshift-data"] as const;

/** A service whose interface endpoint gets a perimeter policy. */
export type PerimeterInterfaceService = (typeof PERIMETER_INTERFACE_SERVICES)[number];

/** Whether an interface endpoint of `service` gets a perimeter policy. */
export function isPerimeterService(service: string): service is PerimeterInterfaceService {
  return (PERIMETER_INTERFACE_SERVICES as readonly string[]).includes(service);
}

/** An interface endpoint's policy: any action of its service (the endpoint's name is the IAM prefix for each of these) on the listed accounts' resources only. */
export function interfaceEndpointPolicy(service: PerimeterInterfaceService, resourceAccounts: readonly string[]): PolicyStatement[] {
  return [
    {
      Sid: "ListedAccountsResources",
      Effect: "Allow",
      Principal: "*",
      Action: `${service}:*`,
      Resource: "*",
      Condition: { StringEquals: { "aws:ResourceAccount": [...resourceAccounts] } },
    },
  ];
}
