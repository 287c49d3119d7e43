import { EnvironmentInput } from "./schema";

/** Production: customer data (LGPD), every protection on, three availability zones. */
export const prod = {
  name: "prod",
  tier: "production",
  project: "proteomics",
  awsAccountId: "777788889999",
  region: "sa-east-1",
  deployRoleArn: "arn:aws:iam::777788889999:role/proteomics-terraform-deploy",
  tags: { owner: "platform-engineering", costCenter: "RD-PROTEOMICS-PRD", dataClassification: "restricted" },
  state: { bucketName: "proteomics-prod-tfstate-777788889999", noncurrentVersionDays: 365 },
  protection: { preventDestroy: true },
  network: {
    vpcCidr: "10.40.0.0/16",
    availabilityZones: ["sa-east-1a", "sa-east-1b", "sa-east-1c"],
    natGateways: "perAz",
    flowLogRetentionDays: 365,
  },
} satisfies EnvironmentInput;
