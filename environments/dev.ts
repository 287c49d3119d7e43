import { EKS_1_36_ADDONS } from "./eks-addons";
import { PLATFORM_CHARTS_2026_11 } from "./platform-charts";
import { EnvironmentInput } from "./schema";

/** Development: cheapest shape that still exercises every layer. */
export const dev = {
  kind: "workload",
  name: "dev",
  tier: "development",
  project: "proteomics",
  awsAccountId: "111122223333",
  region: "sa-east-1",
  tags: { owner: "platform-engineering", costCenter: "RD-PROTEOMICS-DEV", dataClassification: "confidential" },
  state: { bucketName: "proteomics-dev-tfstate-111122223333", noncurrentVersionDays: 30 },
  apps: {
    domain: "dev.proteomics.example.com",
    wafRateLimit: 2000,
    secretRecoveryDays: 7,
    api: {
      imageTag: "2026.11.0",
      minReplicas: 1,
      maxReplicas: 3,
      requests: { cpu: "250m", memory: "512Mi" },
      limits: { cpu: "1", memory: "1Gi" },
      health: { liveness: "/api/health/live", readiness: "/api/health", startup: "/api/health/live" },
    },
    frontend: {
      imageTag: "2026.11.0",
      minReplicas: 1,
      maxReplicas: 3,
      requests: { cpu: "250m", memory: "512Mi" },
      limits: { cpu: "1", memory: "1Gi" },
      health: { liveness: "/health/live", readiness: "/health/ready", startup: "/health/live" },
    },
  },
  data: {
    buckets: { noncurrentVersionDays: 30, accessLogRetentionDays: 90 },
    postgres: {
      engineVersion: "17",
      instanceClass: "db.t4g.medium",
      allocatedStorageGiB: 50,
      maxAllocatedStorageGiB: 200,
      multiAz: false,
      backupRetentionDays: 7,
      logRetentionDays: 30,
    },
    redshift: {
      nodeType: "ra3.xlplus",
      numberOfNodes: 2,
      snapshotRetentionDays: 1,
      logRetentionDays: 30,
    },
  },
  cluster: {
    kubernetesVersion: "1.36",
    upgradeSupportType: "STANDARD",
    endpointPublicAccess: false,
    logRetentionDays: 30,
    systemNodes: { amiType: "AL2023_x86_64_STANDARD", instanceTypes: ["m6i.large", "m5.large"], minSize: 2, desiredSize: 2, maxSize: 3 },
    addons: EKS_1_36_ADDONS,
  },
  pipeline: {
    analysisImageTag: "2026.11.0",
    instanceTypes: ["c6i", "c7i", "m6i", "m7i", "r6i", "r7i"],
    spotMaxVcpus: 64,
    onDemandMaxVcpus: 16,
    jobs: {
      identify: { vcpus: 4, memoryMiB: 16384, timeoutSeconds: 3600, attempts: 3, scratchGiB: 10 },
      aggregate: { vcpus: 2, memoryMiB: 8192, timeoutSeconds: 1800, attempts: 3, scratchGiB: 5 },
      publishMetrics: { vcpus: 1, memoryMiB: 2048, timeoutSeconds: 900, attempts: 3, scratchGiB: 1 },
    },
    maxConcurrentSamples: 5,
    logRetentionDays: 30,
  },
  platform: {
    charts: PLATFORM_CHARTS_2026_11,
    karpenter: {
      amiAlias: "al2023@v20260714",
      webPool: { capacityTypes: ["spot", "on-demand"], cpuLimit: "32", memoryLimit: "128Gi" },
    },
  },
  // The cost model's nominal load (npm run cost, docs/cost.md): assumptions about use, not limits.
  cost: { analysesPerMonth: 20, samplesPerAnalysis: 5, filesPerSample: 20 },
  observability: {
    alertEmails: ["platform-alerts-dev@proteomics.example.com"],
    // About 75% of max_connections for the instance class (LEAST(memory/9531392, 5000)).
    alarms: { databaseConnections: 300 },
  },
  protection: { preventDestroy: false, deletionProtection: false, finalSnapshot: true },
  network: {
    vpcCidr: "10.20.0.0/16",
    availabilityZones: ["sa-east-1a", "sa-east-1b"],
    natGateways: "single",
    flowLogRetentionDays: 30,
  },
} satisfies EnvironmentInput;
