import { EnvironmentInput } from "./schema";

/** Development: cheapest shape that still exercises every layer. */
export const dev = {
  name: "dev",
  tier: "development",
  project: "proteomics",
  awsAccountId: "111122223333",
  region: "sa-east-1",
  deployRoleArn: "arn:aws:iam::111122223333:role/proteomics-terraform-deploy",
  tags: { owner: "platform-engineering", costCenter: "RD-PROTEOMICS-DEV", dataClassification: "confidential" },
  state: { bucketName: "proteomics-dev-tfstate-111122223333", noncurrentVersionDays: 30 },
  protection: { preventDestroy: false },
  network: {
    vpcCidr: "10.20.0.0/16",
    availabilityZones: ["sa-east-1a", "sa-east-1b"],
    natGateways: "single",
    flowLogRetentionDays: 30,
  },
} satisfies EnvironmentInput;
