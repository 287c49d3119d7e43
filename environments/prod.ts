import { EKS_1_36_ADDONS } from "./eks-addons";
import { PLATFORM_CHARTS_2026_11 } from "./platform-charts";
import { EnvironmentInput } from "./schema";

/** Production: customer data (LGPD), every protection on, three availability zones. */
export const prod = {
  kind: "workload",
  name: "prod",
  tier: "production",
  project: "proteomics",
  awsAccountId: "777788889999",
  region: "sa-east-1",
  tags: { owner: "platform-engineering", costCenter: "RD-PROTEOMICS-PRD", dataClassification: "restricted" },
  state: { bucketName: "proteomics-prod-tfstate-777788889999", noncurrentVersionDays: 365 },
  // Audit logs for two years, locked: an intruder with the account's root cannot erase its tracks.
  security: { auditLogRetentionDays: 731, auditLogObjectLock: true, findingSeverity: 4 },
  apps: {
    domain: "proteomics.example.com",
    wafRateLimit: 1000,
    // Load balancer and firewall logs: a year, like every production log.
    logRetentionDays: 365,
    api: {
      imageTag: "2026.11.0",
      minReplicas: 3,
      maxReplicas: 20,
      requests: { cpu: "250m", memory: "512Mi" },
      limits: { cpu: "1", memory: "1Gi" },
      health: { liveness: "/api/health/live", readiness: "/api/health", startup: "/api/health/live" },
    },
    frontend: {
      imageTag: "2026.11.0",
      minReplicas: 3,
      maxReplicas: 12,
      requests: { cpu: "250m", memory: "512Mi" },
      limits: { cpu: "1", memory: "1Gi" },
      health: { liveness: "/health/live", readiness: "/health/ready", startup: "/health/live" },
    },
  },
  data: {
    buckets: { noncurrentVersionDays: 35, accessLogRetentionDays: 731 },
    ecr: { keepImages: 100, untaggedExpireDays: 7 },
    postgres: {
      engineVersion: "17",
      instanceClass: "db.r6g.xlarge",
      allocatedStorageGiB: 200,
      maxAllocatedStorageGiB: 2000,
      multiAz: true,
      backupRetentionDays: 35,
      performanceInsightsRetentionDays: 93,
      monitoringIntervalSeconds: 15,
      logRetentionDays: 365,
    },
    redshift: {
      nodeType: "ra3.4xlarge",
      numberOfNodes: 2,
      snapshotRetentionDays: 35,
      logRetentionDays: 731,
    },
  },
  cluster: {
    kubernetesVersion: "1.36",
    // Extended support: an upgrade happens when the team plans it, never forced by the end of standard support.
    upgradeSupportType: "EXTENDED",
    endpointPublicAccess: false,
    logRetentionDays: 365,
    systemNodes: { amiType: "AL2023_x86_64_STANDARD", instanceTypes: ["m6i.xlarge", "m5.xlarge"], minSize: 3, desiredSize: 3, maxSize: 6 },
    addons: EKS_1_36_ADDONS,
  },
  pipeline: {
    analysisImageTag: "2026.11.0",
    // Sizes up to 12xlarge: 18 Spot pools, and at most 12 identify jobs per instance, so the root volume every instance
    // gets (sized for the fullest one, 30 + 12 x 40 GiB) stays near 500 GiB instead of the 1,950 a 48xlarge would need.
    instanceTypes: ["c6i", "c7i", "m6i", "m7i", "r6i", "r7i"].flatMap((family) => ["4xlarge", "8xlarge", "12xlarge"].map((size) => `${family}.${size}`)),
    spotMaxVcpus: 2048,
    onDemandMaxVcpus: 512,
    jobs: {
      identify: { vcpus: 4, memoryMiB: 16384, timeoutSeconds: 3600, attempts: 4, scratchGiB: 40 },
      aggregate: { vcpus: 4, memoryMiB: 16384, timeoutSeconds: 3600, attempts: 3, scratchGiB: 20 },
      publishMetrics: { vcpus: 1, memoryMiB: 2048, timeoutSeconds: 900, attempts: 3, scratchGiB: 2 },
    },
    maxConcurrentSamples: 20,
    logRetentionDays: 365,
    // The state machines log their events and errors, not each state's input and output (tenants' ids, LGPD).
    executionDataInLogs: false,
  },
  platform: {
    charts: PLATFORM_CHARTS_2026_11,
    karpenter: {
      amiAlias: "al2023@v20260714",
      webPool: {
        capacityTypes: ["spot", "on-demand"],
        cpuLimit: "256",
        memoryLimit: "1024Gi",
        budgets: [
          { nodes: "10%" },
          // No consolidation of busy-but-underused nodes during São Paulo working hours (08:00-20:00, UTC-3).
          { nodes: "0", schedule: "0 11 * * mon-fri", duration: "12h", reasons: ["Underutilized"] },
        ],
      },
    },
  },
  // The cost model's nominal load (npm run cost, docs/cost.md): assumptions about use, not limits.
  cost: { analysesPerMonth: 100, samplesPerAnalysis: 20, filesPerSample: 500 },
  observability: {
    alertEmails: ["platform-oncall@proteomics.example.com"],
    // About 75% of max_connections for the instance class (LEAST(memory/9531392, 5000)).
    alarms: { databaseConnections: 2500 },
  },
  protection: { preventDestroy: true, deletionProtection: true, finalSnapshot: true },
  network: {
    vpcCidr: "10.40.0.0/16",
    availabilityZones: ["sa-east-1a", "sa-east-1b", "sa-east-1c"],
    natGateways: "perAz",
    flowLogRetentionDays: 365,
  },
} satisfies EnvironmentInput;
