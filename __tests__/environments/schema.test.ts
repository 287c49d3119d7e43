import { EnvironmentInput, loadEnvironments } from "../../environments";
import { knownKeysAt } from "../../environments/known-keys";
import * as fs from "node:fs";
import * as path from "node:path";
import { TIERS, toolingEnvironmentSchema, workloadEnvironmentSchema } from "../../environments/schema";
import { ENVIRONMENTS, InputsByName, TOOLING, environmentInputs, problemsAfter } from "../helpers/environments";

describe("committed environments", () => {
  it("are the files of environments/, workloads in promotion order, each named after its file", () => {
    const files = fs.readdirSync(path.join(__dirname, "..", "..", "environments")).filter((file) => file.endsWith(".ts"));
    expect([...ENVIRONMENTS.map((env) => env.name), TOOLING.name].every((name) => files.includes(`${name}.ts`))).toBe(true);
    const ranks = ENVIRONMENTS.map((env) => TIERS.indexOf(env.tier));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it("default to sa-east-1 when no region is given", () => {
    const inputs = environmentInputs();
    delete (inputs[0] as { region?: string }).region;
    expect(loadEnvironments(inputs).workloads[0].region).toBe("sa-east-1");
  });

  it("apply defaults for omitted state settings", () => {
    const inputs = environmentInputs();
    inputs[0].state = { bucketName: inputs[0].state.bucketName };
    expect(loadEnvironments(inputs).workloads[0].state).toEqual({
      bucketName: inputs[0].state.bucketName,
      noncurrentVersionDays: 90,
      accessLogRetentionDays: 365,
      bootstrapComplete: false,
    });
  });

  it("put production on at least three availability zones", () => {
    for (const env of ENVIRONMENTS.filter((candidate) => candidate.tier === "production")) {
      expect(env.network.availabilityZones.length).toBeGreaterThanOrEqual(3);
    }
  });
});

describe("bad input is rejected with the environment, the field and the rule", () => {
  it.each<[string, (envs: Record<string, EnvironmentInput & Record<string, unknown>>) => void, string]>([
    [
      "a nominal load the compute environments cannot run in a month",
      (envs) => {
        // 1,000 × 100 × 100 files × 4 vCPUs × 10 min = 6,666,667 vCPU-hours; (64 + 16) vCPUs × 730 h = 58,400.
        envs.dev.pipeline = { ...envs.dev.pipeline, spotMaxVcpus: 64, onDemandMaxVcpus: 16, jobs: { ...envs.dev.pipeline.jobs, identify: { ...envs.dev.pipeline.jobs.identify, vcpus: 4 } } };
        envs.dev.cost = { analysesPerMonth: 1000, samplesPerAnalysis: 100, filesPerSample: 100, identifyMinutesPerFile: 10 };
      },
      "dev: cost.analysesPerMonth: the nominal load needs 6,666,667 identify vCPU-hours a month, more than the 58,400 the compute environments give running all month: lower it or raise pipeline.spotMaxVcpus / onDemandMaxVcpus",
    ],
    [
      "execution data in a production environment's state machine logs",
      (envs) => (envs.prod.pipeline = { ...envs.prod.pipeline, executionDataInLogs: true }),
      "prod: pipeline.executionDataInLogs: must be false in production environments: execution data carries tenants' and analyses' ids (LGPD)",
    ],
    [
      "a Spot share above 1",
      (envs) => (envs.dev.cost = { ...envs.dev.cost, spotShare: 1.5 }),
      "dev: cost.spotShare: must be between 0 and 1",
    ],
    [
      "a malformed CIDR",
      (envs) => (envs.dev.network.vpcCidr = "10.20.0/16"),
      'dev: network.vpcCidr: must be an IPv4 CIDR block like 10.0.0.0/16 (got "10.20.0/16")',
    ],
    [
      "a CIDR with host bits set",
      (envs) => (envs.dev.network.vpcCidr = "10.20.1.0/16"),
      "dev: network.vpcCidr: must have no host bits set (did you mean 10.20.0.0/16?)",
    ],
    [
      "a VPC too large for AWS",
      (envs) => (envs.dev.network.vpcCidr = "10.0.0.0/8"),
      "dev: network.vpcCidr: must have a prefix between /16 and /24 (got /8)",
    ],
    [
      "a public VPC range",
      (envs) => (envs.dev.network.vpcCidr = "8.8.0.0/16"),
      "dev: network.vpcCidr: must lie in an RFC 1918 private range (got 8.8.0.0/16)",
    ],
    [
      "a project name with a double hyphen (RDS and Redshift identifiers refuse it)",
      (envs) => (envs.dev.project = "proteomics--lab"),
      "dev: project: must be 2-20 lowercase letters, digits or single dashes, starting with a letter and ending with a letter or digit",
    ],
    [
      "a project name ending with a hyphen",
      (envs) => (envs.dev.project = "proteomics-"),
      "dev: project: must be 2-20 lowercase letters, digits or single dashes, starting with a letter and ending with a letter or digit",
    ],
    [
      "a project name over 20 characters",
      (envs) => (envs.dev.project = "proteomics-platform12"),
      "dev: project: must be 2-20 lowercase letters, digits or single dashes, starting with a letter and ending with a letter or digit",
    ],
    [
      "an 11-digit account id",
      (envs) => (envs.staging.awsAccountId = "44445555666"),
      "staging: awsAccountId: must be exactly 12 digits",
    ],
    [
      "an unknown region",
      (envs) => (envs.prod.region = "sa-west-9" as never),
      'prod: region: must be an AWS commercial region such as sa-east-1 (got "sa-west-9")',
    ],
    [
      "fewer than two availability zones",
      (envs) => (envs.dev.network.availabilityZones = ["sa-east-1a"]),
      "dev: network.availabilityZones: must list at least 2 availability zones (got 1)",
    ],
    [
      "production with fewer than three availability zones",
      (envs) => (envs.prod.network.availabilityZones = ["sa-east-1a", "sa-east-1b"]),
      "prod: network.availabilityZones: production environments need at least 3 availability zones (got 2)",
    ],
    [
      "an availability zone of another region",
      (envs) => (envs.dev.network.availabilityZones = ["sa-east-1a", "us-east-1b"]),
      'dev: network.availabilityZones.1: must be an availability zone of sa-east-1, like sa-east-1a (got "us-east-1b")',
    ],
    [
      "a repeated availability zone",
      (envs) => (envs.dev.network.availabilityZones = ["sa-east-1a", "sa-east-1a"]),
      "dev: network.availabilityZones: must not repeat an availability zone",
    ],
    [
      "a negative size",
      (envs) => (envs.prod.state.noncurrentVersionDays = -30),
      "prod: state.noncurrentVersionDays: must be greater than 0",
    ],
    [
      "a fractional size",
      (envs) => (envs.prod.state.noncurrentVersionDays = 1.5),
      "prod: state.noncurrentVersionDays: must be a whole number",
    ],
    [
      "an invalid bucket name",
      (envs) => (envs.dev.state.bucketName = "Proteomics_State"),
      "dev: state.bucketName: must be a valid S3 bucket name (3-63 lowercase letters, digits or dashes)",
    ],
    [
      "an unknown data classification",
      (envs) => (envs.dev.tags.dataClassification = "secret" as never),
      "dev: tags.dataClassification: must be one of public, internal, confidential, restricted",
    ],
    [
      "subnets that do not fit in the VPC",
      (envs) => (envs.dev.network.subnetPrefixes = { public: 24, private: 17, isolated: 24 }),
      "dev: network.subnetPrefixes.private: 4 private subnets of /17 do not fit in 10.20.0.0/16 after the larger tiers; use a smaller subnet, fewer slots or a larger VPC",
    ],
    [
      "a subnet prefix AWS does not allow",
      (envs) => (envs.dev.network.subnetPrefixes = { public: 29, private: 19, isolated: 24 }),
      "dev: network.subnetPrefixes.public: must be between /17 and /28 for a 10.20.0.0/16 VPC (got /29)",
    ],
    [
      "fewer subnet slots than zones",
      (envs) => (envs.staging.network.azSlots = 2),
      "staging: network.azSlots: must be at least the number of availability zones (3)",
    ],
    [
      "production with a single NAT gateway",
      (envs) => (envs.prod.network.natGateways = "single"),
      "prod: network.natGateways: production environments need one NAT gateway per availability zone (perAz)",
    ],
    [
      "production keeping flow logs less than a year",
      (envs) => (envs.prod.network.flowLogRetentionDays = 90),
      "prod: network.flowLogRetentionDays: production environments keep logs at least 365 days (got 90)",
    ],
    [
      "production keeping firewall logs for the default 90 days",
      (envs) => delete (envs.prod.apps as { logRetentionDays?: number }).logRetentionDays,
      "prod: apps.logRetentionDays: production environments keep logs at least 365 days (got 90)",
    ],
    [
      "a retention CloudWatch does not offer",
      (envs) => (envs.dev.network.flowLogRetentionDays = 45),
      "dev: network.flowLogRetentionDays: must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653; got 45)",
    ],
    [
      "an endpoint list without a required service",
      (envs) => (envs.dev.network.interfaceEndpoints = ["ecr.api", "ecr.dkr", "sts", "logs", "kms", "states", "sqs", "ec2"]),
      "dev: network.interfaceEndpoints: must include secretsmanager, elasticloadbalancing, ssm, ssmmessages, ec2messages, ecs, ecs-agent, ecs-telemetry",
    ],
    [
      "production without prevent_destroy",
      (envs) => (envs.prod.protection.preventDestroy = false),
      "prod: protection.preventDestroy: must be true in production environments (stateful resources are protected there)",
    ],
    [
      "production without deletion protection",
      (envs) => (envs.prod.protection.deletionProtection = false),
      "prod: protection.deletionProtection: must be true in production environments (stateful resources are protected there)",
    ],
    [
      "production without final snapshots",
      (envs) => (envs.prod.protection.finalSnapshot = false),
      "prod: protection.finalSnapshot: must be true in production environments (stateful resources are protected there)",
    ],
    [
      "a PostgreSQL version zero-ETL does not support",
      (envs) => (envs.dev.data.postgres.engineVersion = "16.2"),
      'dev: data.postgres.engineVersion: must be a PostgreSQL version zero-ETL supports: 15 (15.11+), 16 (16.7+), 17 (17.3+) (got "16.2")',
    ],
    [
      "a storage ceiling below the initial storage",
      (envs) => (envs.staging.data.postgres.maxAllocatedStorageGiB = 50),
      "staging: data.postgres.maxAllocatedStorageGiB: maxAllocatedStorageGiB must be at least allocatedStorageGiB",
    ],
    [
      "backups longer than RDS allows",
      (envs) => (envs.prod.data.postgres.backupRetentionDays = 36),
      "prod: data.postgres.backupRetentionDays: must be at most 35 days (the RDS maximum)",
    ],
    [
      "a single-AZ production database",
      (envs) => (envs.prod.data.postgres.multiAz = false),
      "prod: data.postgres.multiAz: must be true in production environments",
    ],
    [
      "a warehouse node type zero-ETL cannot target",
      (envs) => (envs.dev.data.redshift.nodeType = "dc2.large"),
      "dev: data.redshift.nodeType: must be an RA3 node type like ra3.xlplus (zero-ETL needs RA3)",
    ],
    [
      "a single-node warehouse",
      (envs) => (envs.dev.data.redshift.numberOfNodes = 1),
      "dev: data.redshift.numberOfNodes: must be at least 2 (zero-ETL needs a multi-node RA3 cluster)",
    ],
    [
      "a pause schedule (a zero-ETL target is never paused, docs/architecture.md)",
      (envs) => ((envs.dev.data.redshift as Record<string, unknown>).pauseSchedule = { pause: "cron(0 23 ? * MON-FRI *)", resume: "cron(0 10 ? * MON-FRI *)" }),
      `dev: data.redshift.pauseSchedule: is not a known setting (known here: ${knownKeysAt(workloadEnvironmentSchema, ["data", "redshift"]).join(", ")})`,
    ],
    [
      "an archive transition too early for Standard-IA",
      (envs) => (envs.dev.data.buckets = { uploadsInfrequentAccessDays: 30, uploadsArchiveDays: 45 }),
      "dev: data.buckets: uploadsArchiveDays must be at least 30 days after uploadsInfrequentAccessDays (S3 keeps Standard-IA objects 30 days)",
    ],
    [
      "an application domain that is not a DNS name",
      (envs) => (envs.dev.apps.domain = "https://dev.example.com"),
      "dev: apps.domain: must be a DNS name like app.example.com",
    ],
    [
      "a Kubernetes version that is not a minor version",
      (envs) => (envs.dev.cluster.kubernetesVersion = "1.36.2"),
      "dev: cluster.kubernetesVersion: must be a Kubernetes minor version like 1.36",
    ],
    [
      "an add-on left on latest",
      (envs) => (envs.dev.cluster.addons = { ...envs.dev.cluster.addons, coredns: "latest" }),
      "dev: cluster.addons.coredns: must be a pinned add-on version like v1.22.4-eksbuild.3 (never latest)",
    ],
    [
      "a kube-proxy built for another Kubernetes version",
      (envs) => (envs.staging.cluster.kubernetesVersion = "1.35"),
      "staging: cluster.addons.kubeProxy: must match the cluster's Kubernetes version 1.35 (got v1.36.0-eksbuild.14)",
    ],
    [
      "a public API endpoint open to the internet",
      (envs) => {
        envs.dev.cluster.endpointPublicAccess = true;
        envs.dev.cluster.publicAccessCidrs = ["0.0.0.0/0"];
      },
      "dev: cluster.publicAccessCidrs.0: must not open the API to the internet (got 0.0.0.0/0)",
    ],
    [
      "a public API endpoint without allowed networks",
      (envs) => (envs.dev.cluster.endpointPublicAccess = true),
      "dev: cluster.publicAccessCidrs: must list the networks allowed when endpointPublicAccess is true",
    ],
    [
      "a public API endpoint in production",
      (envs) => {
        envs.prod.cluster.endpointPublicAccess = true;
        envs.prod.cluster.publicAccessCidrs = ["198.51.100.0/24"];
      },
      "prod: cluster.endpointPublicAccess: must be false in production environments (private endpoint only)",
    ],
    [
      "a cluster admin from another account",
      (envs) => (envs.dev.cluster.adminRoleArns = ["arn:aws:iam::777788889999:role/proteomics-platform-admin"]),
      "dev: cluster.adminRoleArns.0: must be a role in the environment's own account 111122223333 (got account 777788889999)",
    ],
    [
      "a single system node",
      (envs) => (envs.dev.cluster.systemNodes = { ...envs.dev.cluster.systemNodes, minSize: 1, desiredSize: 1 }),
      "dev: cluster.systemNodes.minSize: must be at least 2 (CoreDNS and the Karpenter controller run two replicas)",
    ],
    [
      "a desired size outside the bounds",
      (envs) => (envs.dev.cluster.systemNodes = { ...envs.dev.cluster.systemNodes, desiredSize: 9 }),
      "dev: cluster.systemNodes: must satisfy minSize <= desiredSize <= maxSize",
    ],
    [
      "an unpinned AMI in production",
      (envs) => (envs.prod.platform.karpenter.amiAlias = "al2023@latest"),
      "prod: platform.karpenter.amiAlias: must pin an AMI version in production environments (not @latest)",
    ],
    [
      "a chart left on latest",
      (envs) => (envs.dev.platform.charts = { ...envs.dev.platform.charts, metricsServer: "latest" }),
      "dev: platform.charts.metricsServer: must be a pinned chart version like 1.14.1",
    ],
    [
      "a node pool limit that is not a quantity",
      (envs) => (envs.dev.platform.karpenter.webPool.cpuLimit = "lots"),
      "dev: platform.karpenter.webPool.cpuLimit: must be a Kubernetes quantity like 500m, 64 or 256Gi",
    ],
    [
      "a disruption budget window without a duration",
      (envs) => (envs.dev.platform.karpenter.webPool.budgets = [{ nodes: "0", schedule: "0 11 * * mon-fri" }]),
      "dev: platform.karpenter.webPool.budgets.0: schedule and duration go together",
    ],
    [
      "an analysis image on latest",
      (envs) => (envs.dev.pipeline.analysisImageTag = "latest"),
      "dev: pipeline.analysisImageTag: must be a release tag, not latest (tags are immutable)",
    ],
    [
      "more concurrent samples than an analysis holds",
      (envs) => (envs.prod.pipeline.maxConcurrentSamples = 1001),
      "prod: pipeline.maxConcurrentSamples: must be at most 1000 (the samples of one analysis)",
    ],
    [
      "a dashboard refreshed more often than a refresh can run",
      (envs) => (envs.dev.pipeline.dashboardRefreshMinutes = 1),
      "dev: pipeline.dashboardRefreshMinutes: must be at least 5 minutes",
    ],
    [
      "a job larger than any compute environment",
      (envs) => (envs.dev.pipeline.jobs = { ...envs.dev.pipeline.jobs, identify: { vcpus: 96, memoryMiB: 16384, timeoutSeconds: 3600, attempts: 3, scratchGiB: 10 } }),
      "dev: pipeline.jobs.identify.vcpus: must fit in a compute environment (at most 64 vCPUs)",
    ],
    [
      "a job with no time limit to speak of",
      (envs) => (envs.dev.pipeline.jobs = { ...envs.dev.pipeline.jobs, aggregate: { vcpus: 2, memoryMiB: 8192, timeoutSeconds: 10, attempts: 3, scratchGiB: 5 } }),
      "dev: pipeline.jobs.aggregate.timeoutSeconds: must be at least 60 seconds",
    ],
    [
      "an API image on latest",
      (envs) => (envs.staging.apps.api.imageTag = "latest"),
      "staging: apps.api.imageTag: must be a release tag, not latest (tags are immutable)",
    ],
    [
      "a single front-end replica in production",
      (envs) => (envs.prod.apps.frontend.minReplicas = 1),
      "prod: apps.frontend.minReplicas: must be at least 2 in production environments",
    ],
    [
      "an autoscaler floor above its ceiling",
      (envs) => (envs.dev.apps.api = { ...envs.dev.apps.api, minReplicas: 4, maxReplicas: 2 }),
      "dev: apps.api: minReplicas must not exceed maxReplicas",
    ],
    [
      "a health check that is not a path",
      (envs) => (envs.dev.apps.frontend.health = { ...envs.dev.apps.frontend.health, readiness: "health/ready" }),
      "dev: apps.frontend.health.readiness: must be an HTTP path like /healthz",
    ],
    [
      "a memory limit that is not a quantity",
      (envs) => (envs.dev.apps.api.limits = { cpu: "1", memory: "1GB" }),
      "dev: apps.api.limits.memory: must be a Kubernetes quantity like 500m, 64 or 256Gi",
    ],
    [
      "a hosted zone id that is a domain name",
      (envs) => (envs.dev.apps.hostedZoneId = "proteomics.example.com"),
      "dev: apps.hostedZoneId: must be a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ",
    ],
    [
      "a secret recovery window Secrets Manager refuses",
      (envs) => (envs.prod.apps.secretRecoveryDays = 60),
      "prod: apps.secretRecoveryDays: must be between 7 and 30 days",
    ],
    [
      "a rate limit that would block a user uploading a sample",
      (envs) => (envs.dev.apps.wafRateLimit = 50),
      "dev: apps.wafRateLimit: must be at least 100 requests per 5 minutes",
    ],
    [
      "an alert address that is not an email",
      (envs) => (envs.prod.observability.alertEmails = ["oncall-at-proteomics"]),
      "prod: observability.alertEmails.0: must be an email address",
    ],
    [
      "a CPU alarm above 100%",
      (envs) => (envs.dev.observability.alarms = { ...envs.dev.observability.alarms, databaseCpuPercent: 120 }),
      "dev: observability.alarms.databaseCpuPercent: must be between 0 and 100",
    ],
    [
      "a connection alarm not sized to the instance",
      (envs) => (envs.staging.observability.alarms = {} as never),
      "staging: observability.alarms.databaseConnections: must be a number",
    ],
    [
      "a state administrator of another account (it would open the state bucket to that account)",
      (envs) => (envs.prod.state = { ...envs.prod.state, administratorRoleArns: ["arn:aws:iam::210987654321:role/admin"] }),
      `prod: state.administratorRoleArns.0: names account 210987654321, not this environment's account ${ENVIRONMENTS.find((env) => env.name === "prod")!.awsAccountId}`,
    ],
    [
      "customer object versions kept longer than any backup",
      (envs) => (envs.prod.data = { ...envs.prod.data, buckets: { ...envs.prod.data.buckets, noncurrentVersionDays: 365 } }),
      "prod: data.buckets.noncurrentVersionDays: must be at most 35 days: customer data is not kept longer than any backup (LGPD minimisation)",
    ],
    [
      "an unknown field (a typo)",
      (envs) => (envs.dev.network = { ...envs.dev.network, vpcCird: "10.0.0.0/16" } as never),
      "dev: network.vpcCird: is not a known setting (did you mean vpcCidr?)",
    ],
  ])("%s", (_case, breakIt, expected) => {
    expect(problemsAfter(breakIt)).toEqual([expected]);
  });

  it("lists every problem at once", () => {
    expect(
      problemsAfter((envs) => {
        envs.dev.awsAccountId = "1";
        envs.prod.network.availabilityZones = ["sa-east-1a", "sa-east-1b"];
      }),
    ).toEqual([
      "dev: awsAccountId: must be exactly 12 digits",
      "prod: network.availabilityZones: production environments need at least 3 availability zones (got 2)",
    ]);
  });

  it("names an environment by position when its name is unusable", () => {
    expect(problemsAfter((envs) => (envs.dev.name = ""))).toEqual([
      "environment #1: name: must be 2-12 lowercase letters or digits, starting with a letter",
    ]);
  });

  it("formats one message that lists every problem", () => {
    const inputs = environmentInputs();
    inputs[0].awsAccountId = "12345678901";
    expect(() => loadEnvironments(inputs)).toThrow(
      "Invalid environment configuration (1 problem):\n  - dev: awsAccountId: must be exactly 12 digits",
    );
  });
});

describe("cross-environment rules", () => {
  it("rejects overlapping VPC CIDRs", () => {
    expect(problemsAfter((envs) => (envs.prod.network.vpcCidr = "10.20.0.0/16"))).toEqual([
      "prod: network.vpcCidr: must not overlap another environment's VPC: 10.20.0.0/16 overlaps dev's 10.20.0.0/16",
    ]);
  });

  it("rejects a shared account id", () => {
    expect(
      problemsAfter((envs) => {
        envs.staging.awsAccountId = envs.dev.awsAccountId;
        envs.staging.state = { ...envs.staging.state, bucketName: "proteomics-staging-tfstate" };
      }),
    ).toEqual([
      'staging: awsAccountId: must be unique per environment: "111122223333" is also dev\'s (each environment is isolated in its own account)',
    ]);
  });

  it("rejects a shared state bucket", () => {
    expect(
      problemsAfter((envs) => {
        envs.staging.state = { ...envs.staging.state, bucketName: "proteomics-shared-tfstate" };
        envs.prod.state = { ...envs.prod.state, bucketName: "proteomics-shared-tfstate" };
      }),
    ).toEqual(['prod: state.bucketName: must be unique per environment: "proteomics-shared-tfstate" is also staging\'s (each environment keeps its own state)']);
  });

  it("rejects a shared site domain", () => {
    expect(problemsAfter((envs) => (envs.staging.apps.domain = envs.dev.apps.domain))).toEqual([
      'staging: apps.domain: must be unique per environment: "dev.proteomics.example.com" is also dev\'s (each environment serves its own site)',
    ]);
  });

  it("rejects two environments with one name", () => {
    expect(problemsAfter((envs) => (envs.staging.name = "dev"))).toEqual([
      'dev: name: must be unique per environment: "dev" is also dev\'s (stack names derive from it)',
    ]);
  });
});

describe("the tooling environment", () => {
  it("is one committed environment of kind tooling, protected like production", () => {
    expect(TOOLING.kind).toBe("tooling");
    expect(TOOLING.tier).toBe("production");
    expect(TOOLING.protection).toEqual({ preventDestroy: true, deletionProtection: true, finalSnapshot: true });
  });

  it.each<[string, (envs: InputsByName) => void, string[]]>([
    ["an environment without a kind", (envs) => delete (envs.dev as { kind?: string }).kind, ["dev: kind: must be one of workload, tooling (got undefined)"]],
    [
      "a second tooling environment",
      (envs) => {
        const second = { ...structuredClone(envs.tooling), name: "tools", awsAccountId: "123412341234" };
        Object.assign(second, { state: { bucketName: "proteomics-tools-tfstate" }, network: { ...second.network, vpcCidr: "10.11.0.0/20" } });
        Object.assign(envs, { tools: second });
      },
      ["tools: kind: must be workload: there is one tooling environment (it already is tooling)"],
    ],
    [
      "a tooling VPC overlapping a workload environment's",
      (envs) => (envs.tooling.network.vpcCidr = "10.20.16.0/20"),
      ["tooling: network.vpcCidr: must not overlap another environment's VPC: 10.20.16.0/20 overlaps dev's 10.20.0.0/16"],
    ],
    [
      "a webhook path open to the internet",
      (envs) => (envs.tooling.atlantis.webhookCidrs = ["0.0.0.0/0"]),
      ["tooling: atlantis.webhookCidrs.0: must be no broader than a /16: list the actual ranges, never the internet (got 0.0.0.0/0)"],
    ],
    [
      "a task size Fargate does not offer",
      (envs) => (envs.tooling.atlantis.memoryMiB = 3000),
      ["tooling: atlantis.memoryMiB: must be a Fargate task size: memory 3000 MiB is not allowed with cpu 2048 on Fargate (allowed: 4096 to 16384 in steps of 1024 MiB)"],
    ],
    [
      "one GitHub App for both servers",
      (envs) => (envs.tooling.atlantis.githubAppIds = { planner: 7, applier: 7 }),
      ["tooling: atlantis.githubAppIds.applier: must differ from the planner's (each server has its own GitHub App, webhook and key)"],
    ],
    [
      "a production tooling environment keeping logs a month",
      (envs) => (envs.tooling.atlantis.logRetentionDays = 30),
      ["tooling: atlantis.logRetentionDays: production environments keep logs at least 365 days (got 30)"],
    ],
    [
      "a malformed IAM Identity Center permission set",
      (envs) => (envs.tooling.identity = { identityCenterPermissionSets: { platformAdmin: ["Platform Admin"] } }),
      ["tooling: identity.identityCenterPermissionSets.platformAdmin.0: must be an IAM Identity Center permission set name (1-32 letters, digits or +=,.@_-)"],
    ],
    [
      "a malformed tooling VPC id",
      (envs) => (envs.tooling.network.vpcId = "vpc-XYZ"),
      ["tooling: network.vpcId: must be a VPC id like vpc-0123456789abcdef0"],
    ],
    [
      "a workload field on the tooling environment",
      (envs) => Object.assign(envs.tooling, { apps: envs.dev.apps }),
      [`tooling: apps: is not a known setting (known here: ${knownKeysAt(toolingEnvironmentSchema, []).join(", ")})`],
    ],
  ])("rejects %s", (_case, breakIt, expected) => {
    expect(problemsAfter(breakIt)).toEqual(expected);
  });
});

describe("errors that point at the mistake", () => {
  it.each<[string, (envs: InputsByName) => void, string[]]>([
    [
      "a misspelled key names the key it most likely meant, and that key is not also blamed for being unset",
      (envs) => {
        const { vpcCidr, ...network } = envs.dev.network;
        envs.dev.network = { ...network, vpcCdir: vpcCidr } as never;
      },
      ["dev: network.vpcCdir: is not a known setting (did you mean vpcCidr?)"],
    ],
    [
      "a VPC too small for the default subnet sizes blames the VPC, not the sizes the user never wrote",
      (envs) => (envs.dev.network.vpcCidr = "10.20.0.0/24"),
      ["dev: network.vpcCidr: is too small for the default subnet sizes (private: must be between /25 and /28 for a 10.20.0.0/24 VPC (got /19)); use a larger VPC or set network.subnetPrefixes"],
    ],
    [
      "a VPC outside the allowed sizes is reported once, on the VPC",
      (envs) => (envs.dev.network.vpcCidr = "10.20.0.0/28"),
      ["dev: network.vpcCidr: must have a prefix between /16 and /24 (got /28)"],
    ],
    [
      "subnet sizes the user wrote are blamed as written",
      (envs) => (envs.dev.network.subnetPrefixes = { public: 24, private: 16, isolated: 24 }),
      ["dev: network.subnetPrefixes.private: must be between /17 and /28 for a 10.20.0.0/16 VPC (got /16)"],
    ],
    [
      "a changed account id flags the state bucket named after the old one",
      (envs) => (envs.staging.awsAccountId = "123456789012"),
      ["staging: state.bucketName: names account 444455556666, not this environment's account 123456789012 (did the account change? rename the bucket)"],
    ],
  ])("%s", (_case, breakIt, expected) => {
    expect(problemsAfter(breakIt)).toEqual(expected);
  });
});
