import { EKS_1_36_ADDONS } from "./eks-addons";
import { PLATFORM_CHARTS_2026_11 } from "./platform-charts";
import { EnvironmentInput } from "./schema";

/** Staging: production's shape at a smaller size, where releases are rehearsed. */
export const staging = {
  kind: "workload",
  name: "staging",
  tier: "staging",
  project: "proteomics",
  awsAccountId: "444455556666",
  region: "sa-east-1",
  tags: { owner: "platform-engineering", costCenter: "RD-PROTEOMICS-STG", dataClassification: "confidential" },
  state: { bucketName: "proteomics-staging-tfstate-444455556666", noncurrentVersionDays: 90 },
  apps: {
    domain: "staging.proteomics.example.com",
    wafRateLimit: 2000,
    secretRecoveryDays: 7,
    api: {
      imageTag: "2026.11.0",
      minReplicas: 2,
      maxReplicas: 6,
      requests: { cpu: "250m", memory: "512Mi" },
      limits: { cpu: "1", memory: "1Gi" },
      health: { liveness: "/api/health/live", readiness: "/api/health", startup: "/api/health/live" },
    },
    frontend: {
      imageTag: "2026.11.0",
      minReplicas: 2,
      maxReplicas: 6,
      requests: { cpu: "250m", memory: "512Mi" },
      limits: { cpu: "1", memory: "1Gi" },
      health: { liveness: "/health/live", readiness: "/health/ready", startup: "/health/live" },
    },
  },
  data: {
    postgres: {
      engineVersion: "17",
      instanceClass: "db.m6g.large",
      allocatedStorageGiB: 100,
      maxAllocatedStorageGiB: 500,
      multiAz: true,
      backupRetentionDays: 14,
      logRetentionDays: 90,
    },
    redshift: {
      nodeType: "ra3.xlplus",
      numberOfNodes: 2,
      snapshotRetentionDays: 7,
      logRetentionDays: 90,
    },
  },
  cluster: {
    kubernetesVersion: "1.36",
    upgradeSupportType: "STANDARD",
    endpointPublicAccess: false,
    logRetentionDays: 90,
    systemNodes: { amiType: "AL2023_x86_64_STANDARD", instanceTypes: ["m6i.large", "m5.large"], minSize: 2, desiredSize: 3, maxSize: 4 },
    addons: EKS_1_36_ADDONS,
  },
  pipeline: {
    analysisImageTag: "2026.11.0",
    // Sizes up to 12xlarge: 18 Spot pools, and at most 12 identify jobs per instance, so the root volume every instance
    // gets (sized for the fullest one, 30 + 12 x 40 GiB) stays near 500 GiB instead of the 1,950 a 48xlarge would need.
    instanceTypes: ["c6i", "c7i", "m6i", "m7i", "r6i", "r7i"].flatMap((family) => ["4xlarge", "8xlarge", "12xlarge"].map((size) => `${family}.${size}`)),
    spotMaxVcpus: 256,
    onDemandMaxVcpus: 64,
    jobs: {
      identify: { vcpus: 4, memoryMiB: 16384, timeoutSeconds: 3600, attempts: 3, scratchGiB: 40 },
      aggregate: { vcpus: 2, memoryMiB: 8192, timeoutSeconds: 1800, attempts: 3, scratchGiB: 20 },
      publishMetrics: { vcpus: 1, memoryMiB: 2048, timeoutSeconds: 900, attempts: 3, scratchGiB: 2 },
    },
    maxConcurrentSamples: 10,
    logRetentionDays: 90,
  },
  platform: {
    charts: PLATFORM_CHARTS_2026_11,
    karpenter: {
      amiAlias: "al2023@v20260714",
      webPool: { capacityTypes: ["spot", "on-demand"], cpuLimit: "64", memoryLimit: "256Gi" },
    },
  },
  // The cost model's nominal load (npm run cost, docs/cost.md): assumptions about use, not limits.
  cost: { analysesPerMonth: 20, samplesPerAnalysis: 10, filesPerSample: 100 },
  observability: {
    alertEmails: ["platform-alerts-staging@proteomics.example.com"],
    // About 75% of max_connections for the instance class (LEAST(memory/9531392, 5000)).
    alarms: { databaseConnections: 600 },
  },
  protection: { preventDestroy: true, deletionProtection: true, finalSnapshot: true },
  network: {
    vpcCidr: "10.30.0.0/16",
    availabilityZones: ["sa-east-1a", "sa-east-1b", "sa-east-1c"],
    natGateways: "perAz",
    flowLogRetentionDays: 90,
  },
} satisfies EnvironmentInput;
