import { EnvironmentInput } from "./schema";

/** Staging: production's shape at a smaller size, where releases are rehearsed. */
export const staging = {
  name: "staging",
  tier: "staging",
  project: "proteomics",
  awsAccountId: "444455556666",
  region: "sa-east-1",
  deployRoleArn: "arn:aws:iam::444455556666:role/proteomics-terraform-deploy",
  tags: { owner: "platform-engineering", costCenter: "RD-PROTEOMICS-STG", dataClassification: "confidential" },
  state: { bucketName: "proteomics-staging-tfstate-444455556666", noncurrentVersionDays: 90 },
  protection: { preventDestroy: true },
  network: {
    vpcCidr: "10.30.0.0/16",
    availabilityZones: ["sa-east-1a", "sa-east-1b", "sa-east-1c"],
    natGateways: "perAz",
    flowLogRetentionDays: 90,
  },
} satisfies EnvironmentInput;
