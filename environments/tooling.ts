import { ToolingInput } from "./schema";

/**
 * Tooling: the shared-services account that runs Atlantis (a planner and an applier on ECS Fargate) and is peered
 * with every workload environment's VPC to reach their private EKS endpoints. It holds every environment's apply
 * credentials, so it is protected like production. Its stacks are applied by hand (docs/provisioning.md, Step 0).
 */
export const tooling = {
  kind: "tooling",
  name: "tooling",
  tier: "production",
  project: "proteomics",
  awsAccountId: "999900001111",
  region: "sa-east-1",
  tags: { owner: "platform-engineering", costCenter: "RD-PROTEOMICS-SHARED", dataClassification: "confidential" },
  state: { bucketName: "proteomics-tooling-tfstate-999900001111", noncurrentVersionDays: 365 },
  // The account that holds every environment's apply credentials: its audit logs are locked like production's.
  security: { auditLogRetentionDays: 731, auditLogObjectLock: true, findingSeverity: 4 },
  protection: { preventDestroy: true, deletionProtection: true, finalSnapshot: true },
  observability: { alertEmails: ["platform-alerts@proteomics.example.com"] },
  network: {
    // Small: Atlantis tasks, their file system's mount targets, the endpoints and an ALB.
    vpcCidr: "10.10.0.0/20",
    availabilityZones: ["sa-east-1a", "sa-east-1b", "sa-east-1c"],
    subnetPrefixes: { public: 26, private: 23, isolated: 26 },
    natGateways: "perAz",
    flowLogRetentionDays: 365,
    // Set from `tooling-network`'s vpc-id output after Step 0: the environments then request their peering.
    vpcId: "vpc-0a1b2c3d4e5f60718",
  },
  atlantis: {
    imageTag: "0.47.1-1",
    domain: "atlantis.proteomics.example.com",
    githubAppIds: { planner: 1100001, applier: 1100002 },
    deployTeam: "platform-engineering",
    // GitHub's `hooks` ranges (IPv4) of https://api.github.com/meta, read 2026-11-29; refresh with
    // `curl -s https://api.github.com/meta | jq -r '.hooks[]'` (docs/delivery.md).
    webhookCidrs: ["192.30.252.0/22", "185.199.108.0/22", "140.82.112.0/20", "143.55.64.0/20"],
    // The company VPN.
    uiCidrs: ["203.0.113.0/24"],
  },
} satisfies ToolingInput;
