import { PolicyStatement } from "../iam/policy-document";

/**
 * The data perimeter of a VPC's gateway endpoints: what may pass through the S3 and DynamoDB routes. Without a policy a
 * gateway endpoint lets anything in the VPC reach any account's bucket or table (a compromised pod could copy data to
 * a bucket of its own); with these, only the listed accounts' resources, plus the AWS-owned buckets the nodes must
 * read from.
 */

/**
 * Buckets owned by AWS (or by the Kubernetes project on AWS) that the VPC's nodes read, in the region, read-only:
 * - ECR image layers (https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html);
 * - Amazon Linux 2023 package repositories (the `al2023-repos-<region>-<id>` buckets);
 * - registry.k8s.io's layer mirror in the region (metrics-server's image), which the registry redirects to;
 * - what the SSM agent downloads (https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html).
 */
export function awsOwnedReadBuckets(region: string): string[] {
  return [
    `arn:aws:s3:::prod-${region}-starport-layer-bucket/*`,
    `arn:aws:s3:::al2023-repos-${region}-*/*`,
    `arn:aws:s3:::prod-registry-k8s-io-${region}/*`,
    `arn:aws:s3:::amazon-ssm-${region}/*`,
    `arn:aws:s3:::amazon-ssm-packages-${region}/*`,
    `arn:aws:s3:::${region}-birdwatcher-prod/*`,
    `arn:aws:s3:::aws-ssm-distributor-file-${region}/*`,
    `arn:aws:s3:::aws-ssm-document-attachments-${region}/*`,
    `arn:aws:s3:::patch-baseline-snapshot-${region}/*`,
  ];
}

/** The S3 gateway endpoint's policy: any S3 action on the listed accounts' buckets, and reads of AWS's buckets above. */
export function s3GatewayEndpointPolicy(region: string, resourceAccounts: readonly string[]): PolicyStatement[] {
  return [
    { Sid: "ListedAccountsBuckets", Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*", Condition: { StringEquals: { "aws:ResourceAccount": [...resourceAccounts] } } },
    { Sid: "ReadAwsOwnedBuckets", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: awsOwnedReadBuckets(region) },
  ];
}

/** The DynamoDB gateway endpoint's policy: the listed accounts' tables only. */
export function dynamodbGatewayEndpointPolicy(resourceAccounts: readonly string[]): PolicyStatement[] {
  return [{ Sid: "ListedAccountsTables", Effect: "Allow", Principal: "*", Action: "dynamodb:*", Resource: "*", Condition: { StringEquals: { "aws:ResourceAccount": [...resourceAccounts] } } }];
}
