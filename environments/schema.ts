import { z } from "zod";
import { PRODUCTION_LOG_RETENTION_DAYS } from "../modules/guardrails/rule";
import { LOG_RETENTION_DAYS } from "../modules/logging/log-retention";
import { PRIVATE_RANGES, cidrContains, formatCidr, tryParseCidr } from "../modules/network/cidr";
import { SubnetPlanError, planSubnets } from "../modules/network/subnet-plan";
import { DEFAULT_INTERFACE_ENDPOINTS, REQUIRED_INTERFACE_ENDPOINTS } from "../modules/network/interface-endpoints";
import { GP3_MAX_GIB, InstanceCapacityError, OS_AND_IMAGES_RESERVE_GIB, planInstanceVolume } from "../modules/pipeline/instance-families";
import { AWS_REGIONS, DEFAULT_REGION } from "./regions";
import { MAX_FILES_PER_SAMPLE, MAX_SAMPLES } from "../modules/pipeline/analysis-contract";
import { fargateSizeProblem } from "../modules/atlantis/fargate-size";
import { MINIMUM_SOURCE_PREFIX } from "../modules/atlantis/source-ranges";
import { ATLANTIS_SERVER_IDS, ELB_NAME_MAX, loadBalancerName, targetGroupName } from "../modules/atlantis/atlantis-names";

/**
 * The one schema every environment config passes through. Fields are grouped by the layer that consumes them;
 * rules that relate fields of one environment live in `superRefine` below, rules across environments in
 * `./load.ts`. Every message says what is required, so that together with the environment and the field path it
 * tells the reader exactly what to fix.
 */

const positiveInt = () =>
  z.number({ error: "must be a number" }).int("must be a whole number").positive("must be greater than 0");

const percent = () => z.number({ error: "must be a number" }).min(0, "must be between 0 and 100").max(100, "must be between 0 and 100");

const positiveNumber = () => z.number({ error: "must be a number" }).positive("must be greater than 0");

const fraction = () => z.number({ error: "must be a number" }).min(0, "must be between 0 and 1").max(1, "must be between 0 and 1");

/** What the cost model (`npm run cost`) assumes of any environment: the usage it cannot read from the stacks. */
const costAssumptionFields = {
  /** CloudWatch Logs ingested a month (flow logs, audit and application logs), GiB. @default 5 */
  logIngestionGiBPerMonth: positiveNumber().default(5),
};

const nonEmpty = () => z.string({ error: "must be a string" }).trim().min(1, "must not be empty");

const logRetentionDays = () =>
  z.number({ error: "must be a number" }).refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
    error: (issue) => `must be a retention CloudWatch Logs accepts (${LOG_RETENTION_DAYS.join(", ")}; got ${JSON.stringify(issue.input)})`,
  });

// The range a prefix may take depends on the VPC's; the subnet plan checks it (superRefine below).
const subnetPrefix = (fallback: number) => z.number({ error: "must be a number" }).int("must be a whole number").default(fallback);

const timeWindow = (fallback: string, pattern: RegExp, example: string) =>
  z.string({ error: "must be a string" }).regex(pattern, { error: `must be a UTC window like ${example}` }).default(fallback);
const DAILY_WINDOW = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
const WEEKLY_WINDOW = /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/;

const databaseIdentifier = (fallback: string) =>
  z
    .string({ error: "must be a string" })
    .regex(/^[a-z][a-z0-9_]{0,62}$/, { error: "must be lowercase letters, digits or underscores, starting with a letter" })
    .default(fallback);

const permissionSetName = () =>
  z.string({ error: "must be a string" }).regex(/^[\w+=,.@-]{1,32}$/, { error: "must be an IAM Identity Center permission set name (1-32 letters, digits or +=,.@_-)" });

const roleArn = z
  .string({ error: "must be a string" })
  .regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, { error: "must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)" });

const addonVersion = z
  .string({ error: "must be a string" })
  .regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, { error: "must be a pinned add-on version like v1.22.4-eksbuild.3 (never latest)" });

const chartVersion = z
  .string({ error: "must be a string" })
  .regex(/^\d+\.\d+\.\d+$/, { error: "must be a pinned chart version like 1.14.1" });

const duration = z
  .string({ error: "must be a string" })
  .regex(/^(\d+h)?(\d+m)?(\d+s)?$/, { error: "must be a duration like 720h or 1m" })
  .refine((text) => text.length > 0, { error: "must not be empty" });

const jobSize = z
  .object({
    /** vCPUs of one job. */
    vcpus: z.number({ error: "must be a number" }).positive("must be greater than 0").max(192),
    /** Memory of one job, MiB. */
    memoryMiB: positiveInt().min(128),
    /** Longest one attempt may run, seconds (at least 60). */
    timeoutSeconds: positiveInt().min(60, "must be at least 60 seconds"),
    /** Attempts, counting the first (retried only when the instance was reclaimed). */
    attempts: positiveInt().max(10, "must be at most 10"),
    /**
     * Scratch space one job uses at its peak, GiB: its inputs, intermediate and output files under /scratch, and
     * /tmp. Sizes the instance volume (`modules/pipeline/instance-families.ts`).
     */
    scratchGiB: positiveInt().max(GP3_MAX_GIB, `must be at most ${GP3_MAX_GIB} GiB (gp3's largest volume)`),
  })
  .strict();

const quantityString = () =>
  z.string({ error: "must be a string" }).regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti)?$/, { error: "must be a Kubernetes quantity like 500m, 64 or 256Gi" });

const healthPath = z.string({ error: "must be a string" }).regex(/^\/[A-Za-z0-9/_.-]*$/, { error: "must be an HTTP path like /healthz" });

/** One web workload: image, size, scaling and health checks. */
const workload = z
  .object({
    /** Immutable image tag in the workload's ECR repository. */
    imageTag: z
      .string({ error: "must be a string" })
      .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: "must be an image tag" })
      .refine((tag) => tag !== "latest", { error: "must be a release tag, not latest (tags are immutable)" }),
    /** Replicas: the autoscaler's bounds (at least 2 in production). */
    minReplicas: positiveInt(),
    maxReplicas: positiveInt(),
    /** Average CPU use, % of requests, the autoscaler aims for. @default 70 */
    cpuTargetPercent: positiveInt().max(100, "must be at most 100").default(70),
    /** Requests and limits of the container. */
    requests: z.object({ cpu: quantityString(), memory: quantityString() }).strict(),
    limits: z.object({ cpu: quantityString(), memory: quantityString() }).strict(),
    /** Port the container serves HTTP on. @default 8000 */
    port: positiveInt().max(65535).default(8000),
    /** Health endpoints: liveness (restart when failing), readiness (receive traffic), startup (wait before the others). */
    health: z.object({ liveness: healthPath, readiness: healthPath, startup: healthPath }).strict(),
  })
  .strict()
  .refine((w) => w.minReplicas <= w.maxReplicas, { error: "minReplicas must not exceed maxReplicas" });

/** Zero-ETL from RDS for PostgreSQL to Redshift: supported majors and their first supported minor. */
export const ZERO_ETL_POSTGRES_MINIMUMS: Readonly<Record<string, number>> = { "15": 11, "16": 7, "17": 3 };

const vpcCidr = z.string({ error: "must be a string" }).superRefine((text, ctx) => {
  const cidr = tryParseCidr(text);
  if (!cidr) {
    ctx.addIssue({ code: "custom", message: `must be an IPv4 CIDR block like 10.0.0.0/16 (got "${text}")` });
  } else if (cidr.hostBitsSet) {
    ctx.addIssue({ code: "custom", message: `must have no host bits set (did you mean ${formatCidr(cidr)}?)` });
  } else if (cidr.prefix < 16 || cidr.prefix > 24) {
    ctx.addIssue({ code: "custom", message: `must have a prefix between /16 and /24 (got /${cidr.prefix})` });
  } else if (!PRIVATE_RANGES.some((range) => cidrContains(range, cidr))) {
    ctx.addIssue({ code: "custom", message: `must lie in an RFC 1918 private range (got ${text})` });
  }
});

/** Data classifications of the company's information policy, most open first. */
export const DATA_CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"] as const;

/** Environment tiers; rules that protect production key off `production`, never off the name. */
export const TIERS = ["development", "staging", "production"] as const;

/** Fields every environment has, workload or tooling: identity, account, tags, protection and state. */
const sharedFields = {
    /** Short name; prefixes every stack (`<name>-<layer>`) and resource name. */
    name: z.string({ error: "must be a string" }).regex(/^[a-z][a-z0-9]{1,11}$/, {
      error: "must be 2-12 lowercase letters or digits, starting with a letter",
    }),
    /** How the environment is treated: production gets the strictest rules. */
    tier: z.enum(TIERS, { error: `must be one of ${TIERS.join(", ")}` }),
    /** Project name; first part of every resource name (`<project>-<env>-<purpose>`). */
    // RDS and Redshift identifiers refuse double and trailing hyphens: `<project>-<env>-...` must not make one.
    project: z.string({ error: "must be a string" }).regex(/^[a-z](?:[a-z0-9]|-(?!-)){0,18}[a-z0-9]$/, {
      error: "must be 2-20 lowercase letters, digits or single dashes, starting with a letter and ending with a letter or digit",
    }),
    /** The AWS account that holds this environment, and the only one its providers may touch. */
    awsAccountId: z.string({ error: "must be a string" }).regex(/^\d{12}$/, { error: "must be exactly 12 digits" }),
    /** Region of every resource. @default sa-east-1 (users and data in Brazil, LGPD) */
    region: z
      .enum(AWS_REGIONS, { error: (issue) => `must be an AWS commercial region such as ${DEFAULT_REGION} (got ${JSON.stringify(issue.input)})` })
      .default(DEFAULT_REGION),
    /** Tags every taggable resource carries (through the provider's default_tags). */
    tags: z
      .object({
        /** Team that owns the environment; an email or a team alias. */
        owner: nonEmpty(),
        /** Cost centre the bill is charged to. */
        costCenter: nonEmpty(),
        /** Highest classification of the data the environment holds. */
        dataClassification: z.enum(DATA_CLASSIFICATIONS, { error: `must be one of ${DATA_CLASSIFICATIONS.join(", ")}` }),
      })
      .strict(),
    /** How hard stateful resources (keys, buckets, databases) are to destroy. */
    protection: z
      .object({
        /** Adds Terraform `prevent_destroy` to stateful resources (always on for the state stack; required in production). */
        preventDestroy: z.boolean({ error: "must be true or false" }),
        /** Turns on the databases' deletion protection (required in production). */
        deletionProtection: z.boolean({ error: "must be true or false" }),
        /** Takes a final snapshot when a database is deleted (required in production). */
        finalSnapshot: z.boolean({ error: "must be true or false" }),
      })
      .strict(),
    /** The `<env>-security` stack: the account's detection baseline (trail, threat detection, posture, alarms). */
    security: z
      .object({
        /**
         * Services an AWS Organizations delegated administrator already runs for this account (an organization trail,
         * GuardDuty, Security Hub, AWS Config or IAM Access Analyzer managed centrally): the baseline does not create
         * its own, and keeps its alarms. @default none: the stack creates all five
         */
        organizationManaged: z
          .object({
            trail: z.boolean({ error: "must be true or false" }).default(false),
            guardDuty: z.boolean({ error: "must be true or false" }).default(false),
            securityHub: z.boolean({ error: "must be true or false" }).default(false),
            config: z.boolean({ error: "must be true or false" }).default(false),
            accessAnalyzer: z.boolean({ error: "must be true or false" }).default(false),
          })
          .strict()
          .default({ trail: false, guardDuty: false, securityHub: false, config: false, accessAnalyzer: false }),
        /** GuardDuty findings at or above this severity notify the alerts topic (GuardDuty: 7 to 8.9 High). @default 7 */
        findingSeverity: z.number({ error: "must be a number" }).min(1, "must be between 1 and 8.9").max(8.9, "must be between 1 and 8.9").default(7),
        /**
         * Days the audit logs are kept (the trail's log group and bucket, Config's history, GuardDuty's exported
         * findings): a retention CloudWatch Logs offers. @default 365
         */
        auditLogRetentionDays: logRetentionDays().default(365),
        /**
         * Object Lock in compliance mode on the audit log bucket for `auditLogRetentionDays`: not even the account's root
         * can delete a log file before then. Required in production. @default false
         */
        auditLogObjectLock: z.boolean({ error: "must be true or false" }).default(false),
      })
      .strict()
      .default({
        organizationManaged: { trail: false, guardDuty: false, securityHub: false, config: false, accessAnalyzer: false },
        findingSeverity: 7,
        auditLogRetentionDays: 365,
        auditLogObjectLock: false,
      }),
    /** The `<env>-identity` stack: who people are when they assume the environment's human roles. */
    identity: z
      .object({
        /**
         * IAM Identity Center permission sets whose roles may assume the platform-admin and developer roles (Identity
         * Center enforces MFA at sign-in; its sessions carry no MFA flag, so they are admitted by role). @default none
         */
        identityCenterPermissionSets: z
          .object({
            platformAdmin: z.array(permissionSetName()).default([]),
            developer: z.array(permissionSetName()).default([]),
          })
          .strict()
          .default({ platformAdmin: [], developer: [] }),
      })
      .strict()
      .default({ identityCenterPermissionSets: { platformAdmin: [], developer: [] } }),
    /** The `<env>-state` stack: Terraform state bucket and lock table. */
    state: z
      .object({
        /** Globally unique name of the S3 bucket that holds every stack's state of this environment. */
        bucketName: z
          .string({ error: "must be a string" })
          .regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, {
            error: "must be a valid S3 bucket name (3-63 lowercase letters, digits or dashes)",
          }),
        /** Days before a superseded state version is deleted. @default 90 */
        noncurrentVersionDays: positiveInt().default(90),
        /** Days the state bucket's server access logs are kept. @default 365 */
        accessLogRetentionDays: positiveInt().default(365),
        /**
         * Whether the `<env>-state` stack itself has been migrated into its bucket. False on a new account: the
         * stack uses a local backend until it has created the bucket (see docs/provisioning.md). @default false
         */
        bootstrapComplete: z.boolean({ error: "must be true or false" }).default(false),
        /**
         * Roles (ARNs or ARN patterns) of the administrators who apply the bootstrap layers by hand before the
         * identity roles exist, and tear the identity stack down: besides the plan, deploy, platform-admin and
         * break-glass roles, the only principals the state bucket admits. @default the account's Identity Center
         * `AdministratorAccess` permission set roles
         */
        administratorRoleArns: z
          .array(z.string().regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/*-]+$/, { error: "must be an IAM role ARN (or ARN pattern) of the environment's account" }))
          .optional(),
      })
      .strict(),
};

/**
 * The `<env>-network` stack: a VPC computed from one CIDR. `required` are the interface endpoints the environment's
 * workloads cannot run without; `defaults` the list used when the environment names none.
 */
const networkSchema = (required: readonly string[], defaults: readonly string[]) =>
  z
    .object({
      /** The VPC's IPv4 block: RFC 1918, /16 to /24, unique across environments. */
      vpcCidr,
      /** Availability zones, listed explicitly so the plan is deterministic. At least 2 (3 in production). */
      availabilityZones: z
        .array(z.string({ error: "must be a string" }), { error: "must be a list of availability zone names" })
        .min(2, { error: (issue) => `must list at least 2 availability zones (got ${(issue.input as unknown[]).length})` })
        .refine((zones) => new Set(zones).size === zones.length, { error: "must not repeat an availability zone" }),
      /**
       * Subnet slots reserved per tier, so zones can be added later without renumbering a subnet; at least the
       * number of zones. @default 4
       */
      azSlots: positiveInt().max(8, "must be at most 8").default(4),
      /** Prefix length of one subnet per tier and zone. @default public /24, private /19, isolated /24 */
      subnetPrefixes: z
        .object({
          /** ALBs and NAT gateways. @default 24 */
          public: subnetPrefix(24),
          /** EKS nodes and pods (VPC CNI: one address per pod) and Batch instances: the largest. @default 19 */
          private: subnetPrefix(19),
          /** RDS and Redshift. @default 24 */
          isolated: subnetPrefix(24),
        })
        .strict()
        .default({ public: 24, private: 19, isolated: 24 }),
      /** NAT gateways: one per zone (highly available) or a single one (cheaper, for development). */
      natGateways: z.enum(["perAz", "single"], { error: "must be perAz or single" }),
      /**
       * AWS services reached through interface endpoints in the private subnets (private DNS on), as the part of the
       * service name after `com.amazonaws.<region>.`. Must include the required ones (a workload environment's:
       * ${REQUIRED_INTERFACE_ENDPOINTS.join(", ")}). @default a workload environment's: those plus eks, eks-auth and
       * redshift-data; the tooling environment's: its required ones
       */
      interfaceEndpoints: z
        .array(z.string({ error: "must be a string" }).regex(/^[a-z0-9][a-z0-9.-]*$/, { error: "must be a service name such as ecr.api" }))
        .refine((services) => new Set(services).size === services.length, { error: "must not repeat a service" })
        .refine((services) => required.every((service) => services.includes(service)), {
          error: (issue) => `must include ${required.filter((service) => !(issue.input as string[]).includes(service)).join(", ")}`,
        })
        .default([...defaults]),
      /** Days VPC flow logs are kept (365 or more in production). */
      flowLogRetentionDays: logRetentionDays(),
    })
    .strict();
/** What the rules shared by every kind of environment read. */
type SharedRuleInput = {
  readonly tier: (typeof TIERS)[number];
  readonly region: string;
  readonly awsAccountId: string;
  readonly state: { readonly bucketName: string; readonly administratorRoleArns?: readonly string[] };
  readonly protection: { readonly preventDestroy: boolean; readonly deletionProtection: boolean; readonly finalSnapshot: boolean };
  readonly network: z.output<ReturnType<typeof networkSchema>>;
  readonly security: { readonly auditLogRetentionDays: number; readonly auditLogObjectLock: boolean };
};

/** Rules relating the fields every environment has: zones of its region, production's protections, the subnet plan. */
function sharedRules(env: SharedRuleInput, ctx: z.RefinementCtx): void {
    if (env.tier === "production" && env.network.availabilityZones.length < 3) {
      ctx.addIssue({
        code: "custom",
        path: ["network", "availabilityZones"],
        message: `production environments need at least 3 availability zones (got ${env.network.availabilityZones.length})`,
      });
    }
    env.network.availabilityZones.forEach((zone, index) => {
      if (!new RegExp(`^${env.region}[a-z]$`).test(zone)) {
        ctx.addIssue({
          code: "custom",
          path: ["network", "availabilityZones", index],
          message: `must be an availability zone of ${env.region}, like ${env.region}a (got "${zone}")`,
        });
      }
    });
    if (env.tier === "production") {
      for (const flag of ["preventDestroy", "deletionProtection", "finalSnapshot"] as const) {
        if (!env.protection[flag]) {
          ctx.addIssue({
            code: "custom",
            path: ["protection", flag],
            message: `must be true in production environments (stateful resources are protected there)`,
          });
        }
      }
    }
    if (env.tier === "production" && !env.security.auditLogObjectLock) {
      ctx.addIssue({ code: "custom", path: ["security", "auditLogObjectLock"], message: "production environments lock their audit logs (Object Lock, compliance mode)" });
    }
    if (env.tier === "production" && env.security.auditLogRetentionDays < PRODUCTION_LOG_RETENTION_DAYS) {
      ctx.addIssue({
        code: "custom",
        path: ["security", "auditLogRetentionDays"],
        message: `production environments keep logs at least ${PRODUCTION_LOG_RETENTION_DAYS} days (got ${env.security.auditLogRetentionDays})`,
      });
    }
    if (env.tier === "production" && env.network.flowLogRetentionDays < PRODUCTION_LOG_RETENTION_DAYS) {
      ctx.addIssue({
        code: "custom",
        path: ["network", "flowLogRetentionDays"],
        message: `production environments keep logs at least ${PRODUCTION_LOG_RETENTION_DAYS} days (got ${env.network.flowLogRetentionDays})`,
      });
    }
    if (env.tier === "production" && env.network.natGateways !== "perAz") {
      ctx.addIssue({
        code: "custom",
        path: ["network", "natGateways"],
        message: "production environments need one NAT gateway per availability zone (perAz)",
      });
    }
    if (env.network.availabilityZones.length > env.network.azSlots) {
      ctx.addIssue({
        code: "custom",
        path: ["network", "azSlots"],
        message: `must be at least the number of availability zones (${env.network.availabilityZones.length})`,
      });
    } else if (isUsableVpc(env.network.vpcCidr)) {
      try {
        planSubnets({
          vpcCidr: env.network.vpcCidr,
          availabilityZones: env.network.availabilityZones,
          prefixes: env.network.subnetPrefixes,
          azSlots: env.network.azSlots,
        });
      } catch (error) {
        if (!(error instanceof SubnetPlanError)) throw error;
        ctx.addIssue({ code: "custom", path: ["network", "subnetPrefixes", error.tier], message: error.message });
      }
    }
    // A state bucket named after an account (the convention <project>-<env>-tfstate-<account>) names this one.
    const embedded = env.state.bucketName.match(/(?<!\d)\d{12}(?!\d)/)?.[0];
    if (embedded !== undefined && /^\d{12}$/.test(env.awsAccountId) && embedded !== env.awsAccountId) {
      ctx.addIssue({
        code: "custom",
        path: ["state", "bucketName"],
        message: `names account ${embedded}, not this environment's account ${env.awsAccountId} (did the account change? rename the bucket)`,
      });
    }
    // The state bucket admits these administrators: another account's role would open it to that account.
    for (const [index, arn] of (env.state.administratorRoleArns ?? []).entries()) {
      const account = arn.split(":")[4];
      if (/^\d{12}$/.test(env.awsAccountId) && account !== env.awsAccountId) {
        ctx.addIssue({ code: "custom", path: ["state", "administratorRoleArns", index], message: `names account ${account}, not this environment's account ${env.awsAccountId}` });
      }
    }
}

/** A VPC CIDR the subnet plan can be computed for: valid, no host bits, /16 to /24 (the vpcCidr rule reports the rest). */
function isUsableVpc(text: string): boolean {
  const cidr = tryParseCidr(text);
  return cidr !== undefined && !cidr.hostBitsSet && cidr.prefix >= 16 && cidr.prefix <= 24;
}

/** A workload environment: one account running the platform (network, data, cluster, platform, pipeline, apps). */
export const workloadEnvironmentSchema = z
  .object({
    /** What the environment is: `workload` runs the platform, `tooling` runs the delivery tools (Atlantis). */
    kind: z.literal("workload"),
    ...sharedFields,
    /** The `<env>-apps` stack: the API and front-end workloads, their ingress, certificate and firewall. */
    apps: z
      .object({
        /** Public hostname of the web application (front-end and API); browsers upload from this origin. */
        domain: z
          .string({ error: "must be a string" })
          .regex(/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { error: "must be a DNS name like app.example.com" }),
        /** Route 53 hosted zone of the domain: certificate validation and the DNS record are managed when set. @default none (manual DNS) */
        hostedZoneId: z.string({ error: "must be a string" }).regex(/^Z[A-Z0-9]{1,32}$/, { error: "must be a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ" }).optional(),
        /** Requests one client IP may make per 5 minutes before the firewall blocks it. */
        wafRateLimit: positiveInt().min(100, "must be at least 100 requests per 5 minutes"),
        /** Days load balancer and firewall logs are kept. @default 90 */
        logRetentionDays: logRetentionDays().default(90),
        /** Days a deleted application secret can still be restored (Secrets Manager allows 7 to 30). @default 30 */
        secretRecoveryDays: positiveInt().min(7, "must be between 7 and 30 days").max(30, "must be between 7 and 30 days").default(30),
        /** The FastAPI API. */
        api: workload,
        /** The Django front-end. */
        frontend: workload,
      })
      .strict(),
    /** The `<env>-data` stack: buckets, registries, metrics database, warehouse. */
    data: z
      .object({
        /** S3 buckets. */
        buckets: z
          .object({
            /** Days before raw uploads move to Standard-IA. @default 30 */
            uploadsInfrequentAccessDays: positiveInt().default(30),
            /** Days before raw uploads move to Glacier Instant Retrieval. @default 180 */
            uploadsArchiveDays: positiveInt().default(180),
            /** Days before Batch scratch objects expire. @default 14 */
            workExpirationDays: positiveInt().default(14),
            /**
             * Days an overwritten or deleted customer object stays recoverable as a noncurrent version (a bug, a
             * compromised session, an operator's mistake). LGPD's minimisation bounds it: no longer than the longest
             * recovery point the platform keeps of anything else (RDS's 35-day backups); an erasure deletes the
             * versions at once. @default 30
             */
            noncurrentVersionDays: positiveInt().max(35, "must be at most 35 days: customer data is not kept longer than any backup (LGPD minimisation)").default(30),
            /** Days server access logs are kept. @default 365 */
            accessLogRetentionDays: positiveInt().default(365),
          })
          .strict()
          .refine((buckets) => buckets.uploadsArchiveDays >= buckets.uploadsInfrequentAccessDays + 30, {
            error: "uploadsArchiveDays must be at least 30 days after uploadsInfrequentAccessDays (S3 keeps Standard-IA objects 30 days)",
          })
          .default({ uploadsInfrequentAccessDays: 30, uploadsArchiveDays: 180, workExpirationDays: 14, noncurrentVersionDays: 30, accessLogRetentionDays: 365 }),
        /** ECR repositories. */
        ecr: z
          .object({
            /** Tagged images kept per repository. @default 50 */
            keepImages: positiveInt().default(50),
            /** Days an untagged image is kept. @default 7 */
            untaggedExpireDays: positiveInt().default(7),
          })
          .strict()
          .default({ keepImages: 50, untaggedExpireDays: 7 }),
        /** RDS for PostgreSQL holding the analysis metrics. */
        postgres: z
          .object({
            /** Engine version: a major (minor upgrades automatic) or a full version; must support zero-ETL. */
            engineVersion: z.string({ error: "must be a string" }).superRefine((version, ctx) => {
              const [major, minor] = version.split(".");
              const minimum = ZERO_ETL_POSTGRES_MINIMUMS[major];
              if (!/^\d+(\.\d+)?$/.test(version) || minimum === undefined || (minor !== undefined && Number(minor) < minimum)) {
                ctx.addIssue({
                  code: "custom",
                  message: `must be a PostgreSQL version zero-ETL supports: ${Object.entries(ZERO_ETL_POSTGRES_MINIMUMS)
                    .map(([m, n]) => `${m} (${m}.${n}+)`)
                    .join(", ")} (got "${version}")`,
                });
              }
            }),
            /** Instance class, e.g. db.r6g.large. */
            instanceClass: z.string({ error: "must be a string" }).regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, { error: "must be an RDS instance class like db.r6g.large" }),
            /** Initial gp3 storage, GiB (20 or more). */
            allocatedStorageGiB: positiveInt().min(20, "must be at least 20 GiB"),
            /** Storage autoscaling ceiling, GiB. */
            maxAllocatedStorageGiB: positiveInt().max(65536, "must be at most 65536 GiB"),
            /** Synchronous standby in another zone (required in production). */
            multiAz: z.boolean({ error: "must be true or false" }),
            /** Days of automated backups, 7 to 35. */
            backupRetentionDays: positiveInt().min(7, "must be at least 7 days").max(35, "must be at most 35 days (the RDS maximum)"),
            /** Daily backup window, UTC. @default 05:00-06:00 (02:00 in São Paulo) */
            backupWindow: timeWindow("05:00-06:00", DAILY_WINDOW, "05:00-06:00"),
            /** Weekly maintenance window, UTC. @default sun:06:30-sun:07:30 */
            maintenanceWindow: timeWindow("sun:06:30-sun:07:30", WEEKLY_WINDOW, "sun:06:30-sun:07:30"),
            /** Database holding the metrics (the zero-ETL source database). @default metrics */
            databaseName: databaseIdentifier("metrics"),
            /** Master user (password managed by RDS). @default proteomics_admin */
            masterUsername: databaseIdentifier("proteomics_admin"),
            /** Users that connect through the proxy with IAM. @default api, metrics_writer, frontend */
            iamDatabaseUsers: z
              .array(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, { error: "must be a PostgreSQL user name" }))
              .min(1, "must list at least one user")
              .default(["api", "metrics_writer", "frontend"]),
            /** Days of Performance Insights history: 7 (free) or a multiple of 31 up to 731. @default 7 */
            performanceInsightsRetentionDays: positiveInt()
              .refine((days) => days === 7 || days === 731 || (days % 31 === 0 && days <= 713), { error: "must be 7, a multiple of 31 up to 713, or 731" })
              .default(7),
            /** Enhanced Monitoring granularity, seconds. @default 60 */
            monitoringIntervalSeconds: z
              .number({ error: "must be a number" })
              .refine((seconds) => [0, 1, 5, 10, 15, 30, 60].includes(seconds), { error: "must be one of 0, 1, 5, 10, 15, 30, 60" })
              .default(60),
            /** Days the exported database logs are kept. @default 90 */
            logRetentionDays: logRetentionDays().default(90),
          })
          .strict()
          .refine((postgres) => postgres.maxAllocatedStorageGiB >= postgres.allocatedStorageGiB, {
            error: "maxAllocatedStorageGiB must be at least allocatedStorageGiB",
            path: ["maxAllocatedStorageGiB"],
          }),
        /** The Redshift cluster that feeds the dashboard. */
        redshift: z
          .object({
            /** RA3 node type (zero-ETL targets must be RA3). */
            nodeType: z.string({ error: "must be a string" }).regex(/^ra3\.[a-z0-9]+$/, { error: "must be an RA3 node type like ra3.xlplus (zero-ETL needs RA3)" }),
            /** Nodes, 2 or more (zero-ETL needs a multi-node RA3 cluster). */
            numberOfNodes: positiveInt().min(2, "must be at least 2 (zero-ETL needs a multi-node RA3 cluster)").max(128, "must be at most 128"),
            /** Database created with the cluster. @default analytics */
            databaseName: databaseIdentifier("analytics"),
            /** Admin user (password managed by Redshift). @default proteomics_admin */
            adminUsername: databaseIdentifier("proteomics_admin"),
            /** Days of automated snapshots, 1 to 35. */
            snapshotRetentionDays: positiveInt().max(35, "must be at most 35 days"),
            /** Weekly maintenance window, UTC. @default sun:07:30-sun:08:00 */
            maintenanceWindow: timeWindow("sun:07:30-sun:08:00", WEEKLY_WINDOW, "sun:07:30-sun:08:00"),
            /** Days audit logs are kept. @default 365 */
            logRetentionDays: logRetentionDays().default(365),
          })
          .strict(),
      })
      .strict(),
    /** The `<env>-cluster` stack: EKS control plane, system nodes, add-ons, Pod Identity, Karpenter's AWS side. */
    cluster: z
      .object({
        /** Kubernetes version of the control plane and the system nodes (a version in EKS standard support). */
        kubernetesVersion: z.string({ error: "must be a string" }).regex(/^1\.\d{2}$/, { error: "must be a Kubernetes minor version like 1.36" }),
        /** STANDARD: upgraded automatically when standard support ends; EXTENDED: paid extended support. */
        upgradeSupportType: z.enum(["STANDARD", "EXTENDED"], { error: "must be STANDARD or EXTENDED" }),
        /** Public API endpoint (off in production); the private endpoint is always on. */
        endpointPublicAccess: z.boolean({ error: "must be true or false" }),
        /** Networks allowed to the public endpoint (required when it is on; never 0.0.0.0/0). @default none */
        publicAccessCidrs: z
          .array(
            z.string().superRefine((text, ctx) => {
              const cidr = tryParseCidr(text);
              if (!cidr || cidr.hostBitsSet) ctx.addIssue({ code: "custom", message: `must be an IPv4 CIDR block (got "${text}")` });
              else if (cidr.prefix < 8) ctx.addIssue({ code: "custom", message: `must not open the API to the internet (got ${text})` });
            }),
          )
          .default([]),
        /** IAM roles with cluster admin besides the identity stack's deploy and platform-admin roles (an IAM Identity Center role, say). @default none */
        adminRoleArns: z.array(roleArn).default([]),
        /** IAM roles with read-only access besides the identity stack's developer role. @default none */
        viewerRoleArns: z.array(roleArn).default([]),
        /** Days control-plane logs are kept. */
        logRetentionDays: logRetentionDays(),
        /** The managed node group of critical add-ons and the Karpenter controller. */
        systemNodes: z
          .object({
            /** EKS AMI type. */
            amiType: z.enum(["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64"], {
              error: "must be an AL2023 or Bottlerocket AMI type",
            }),
            /** Instance types, in order of preference. */
            instanceTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: "must be an instance type like m6i.large" })).min(1, "must list at least one instance type"),
            /** Group size: at least 2 nodes, so CoreDNS and Karpenter survive losing one. */
            minSize: positiveInt().min(2, "must be at least 2 (CoreDNS and the Karpenter controller run two replicas)"),
            desiredSize: positiveInt(),
            maxSize: positiveInt(),
            /** Root volume, GiB. @default 50 */
            diskSizeGiB: positiveInt().min(20, "must be at least 20 GiB").default(50),
          })
          .strict()
          .refine((nodes) => nodes.minSize <= nodes.desiredSize && nodes.desiredSize <= nodes.maxSize, {
            error: "must satisfy minSize <= desiredSize <= maxSize",
          }),
        /** The session host: port forwarding to the private EKS API and the RDS proxy through Session Manager. */
        sessionHost: z
          .object({
            /** A Graviton (arm64) instance type: the image is Amazon Linux 2023 for arm64. @default t4g.micro */
            instanceType: z
              .string({ error: "must be a string" })
              .regex(/^[a-z]+\d+g[a-z]*\.[a-z0-9]+$/, { error: "must be a Graviton (arm64) instance type like t4g.micro" })
              .default("t4g.micro"),
          })
          .strict()
          .default({ instanceType: "t4g.micro" }),
        /** Pinned EKS add-on versions, compatible with kubernetesVersion. */
        addons: z
          .object({
            vpcCni: addonVersion,
            kubeProxy: addonVersion,
            podIdentityAgent: addonVersion,
            coredns: addonVersion,
            ebsCsiDriver: addonVersion,
            cloudwatchObservability: addonVersion,
          })
          .strict(),
      })
      .strict(),
    /** The `<env>-pipeline` stack: Batch and Step Functions for the analysis. */
    pipeline: z
      .object({
        /** Immutable tag of the analysis image in the `analysis` repository. */
        analysisImageTag: z
          .string({ error: "must be a string" })
          .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: "must be an image tag" })
          .refine((tag) => tag !== "latest", { error: "must be a release tag, not latest (tags are immutable)" }),
        /** EC2 instance families (or types) Batch may launch. */
        instanceTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z0-9]+)?$/, { error: "must be an instance family or type like c7i" })).min(1),
        /** Ceiling of each compute environment, vCPUs. */
        spotMaxVcpus: positiveInt(),
        onDemandMaxVcpus: positiveInt(),
        /** Fair-share scheduling between tenants. */
        fairShare: z
          .object({
            /** Seconds of past usage that count against a tenant's share. @default 3600 */
            shareDecaySeconds: z.number().int().min(0).max(604800).default(3600),
            /** Percentage of capacity kept for tenants with no recent usage. @default 20 */
            computeReservation: z.number().int().min(0).max(99).default(20),
          })
          .strict()
          .default({ shareDecaySeconds: 3600, computeReservation: 20 }),
        /** Seconds a job may stay RUNNABLE for lack of capacity before it is cancelled. @default 3600 */
        runnableTimeoutSeconds: z.number().int().min(600, "must be at least 600 seconds").max(86400).default(3600),
        /** Resources, time limit and attempts of each job. */
        jobs: z
          .object({
            identify: jobSize,
            aggregate: jobSize,
            publishMetrics: jobSize,
          })
          .strict(),
        /** Samples processed at once within one analysis: child executions of its Distributed Map (at most one per sample). */
        maxConcurrentSamples: positiveInt().max(MAX_SAMPLES, `must be at most ${MAX_SAMPLES} (the samples of one analysis)`),
        /** Minutes between two refreshes of the dashboard's views (5 to 1440). @default 15 */
        dashboardRefreshMinutes: z.number().int().min(5, "must be at least 5 minutes").max(1440, "must be at most 1440 minutes (a day)").default(15),
        /** Longest an analysis may run, seconds. @default 86400 */
        executionTimeoutSeconds: positiveInt().max(31536000).default(86400),
        /** Days the pipeline's logs are kept. */
        logRetentionDays: logRetentionDays(),
        /**
         * The state machines' logs carry each state's input and output (tenant, analysis and sample ids, manifest
         * keys): useful to explain a failure, but personal data under LGPD where tenants are people. Production must
         * set false (events and errors are still logged). @default true
         */
        executionDataInLogs: z.boolean({ error: "must be true or false" }).default(true),
        /** Receives of a status message before it goes to the dead-letter queue. @default 5 */
        statusMaxReceiveCount: positiveInt().max(1000).default(5),
      })
      .strict()
      .refine((pipeline) => pipeline.spotMaxVcpus + pipeline.onDemandMaxVcpus > 0, { error: "must allow some capacity" })
      .superRefine((pipeline, ctx) => {
        try {
          const plan = planInstanceVolume(pipeline.instanceTypes, pipeline.jobs);
          if (plan.volumeGiB > GP3_MAX_GIB) {
            ctx.addIssue({
              code: "custom",
              path: ["jobs", plan.job, "scratchGiB"],
              message:
                `must keep the Batch instance volume within gp3's ${GP3_MAX_GIB} GiB: ${OS_AND_IMAGES_RESERVE_GIB} GiB reserve + ` +
                `${plan.jobsPerInstance} jobs x ${pipeline.jobs[plan.job as keyof typeof pipeline.jobs].scratchGiB} GiB on ` +
                `${plan.instance.largest} (${plan.instance.vcpus} vCPUs, ${plan.instance.memoryGiB} GiB) = ${plan.volumeGiB} GiB`,
            });
          }
        } catch (error) {
          if (!(error instanceof InstanceCapacityError)) throw error;
          ctx.addIssue({ code: "custom", path: ["instanceTypes", error.index], message: error.message });
        }
      })
      // Root volume of the Batch instances, GiB: derived from the capacity model, never set by hand.
      .transform((pipeline) => ({ ...pipeline, instanceVolumeGiB: planInstanceVolume(pipeline.instanceTypes, pipeline.jobs).volumeGiB })),
    /** The `<env>-platform` stack: Karpenter, load balancer controller, metrics-server, external-secrets. */
    platform: z
      .object({
        /** Pinned chart versions. */
        charts: z
          .object({
            karpenter: chartVersion,
            loadBalancerController: chartVersion,
            metricsServer: chartVersion,
            externalSecrets: chartVersion,
          })
          .strict(),
        /** The nodes Karpenter launches. */
        karpenter: z
          .object({
            /** EKS-optimized AL2023 AMI alias, `al2023@vYYYYMMDD` (`al2023@latest` not allowed in production). */
            amiAlias: z
              .string({ error: "must be a string" })
              .regex(/^al2023@(v\d{8}|latest)$/, { error: "must be an AL2023 alias like al2023@v20260714" }),
            /** Root volume of each node, GiB (images and emptyDir scratch live there). @default 100 */
            rootVolumeGiB: positiveInt().min(20, "must be at least 20 GiB").default(100),
            /** The `web` pool: API and front-end. */
            webPool: z
              .object({
                /** Capacity types, preferred first. */
                capacityTypes: z.array(z.enum(["spot", "on-demand"], { error: "must be spot or on-demand" })).min(1, "must list at least one capacity type"),
                /** Instance categories. @default c, m, r */
                instanceCategories: z.array(z.string().regex(/^[a-z]$/, { error: "must be one letter like m" })).min(1).default(["c", "m", "r"]),
                /** Oldest instance generation allowed. @default 6 */
                minimumGeneration: positiveInt().default(6),
                /** Ceiling on the pool's total CPU and memory. */
                cpuLimit: quantityString(),
                memoryLimit: quantityString(),
                /** Node lifetime before replacement. @default 720h */
                expireAfter: duration.default("720h"),
                /** Idle or underused time before consolidation. @default 1m */
                consolidateAfter: duration.default("1m"),
                /** Disruption budgets. @default 10% of the nodes at a time */
                budgets: z
                  .array(
                    z
                      .object({
                        nodes: z.string().regex(/^(\d+%?)$/, { error: "must be a count or a percentage like 10%" }),
                        schedule: z.string().optional(),
                        duration: duration.optional(),
                        reasons: z.array(z.enum(["Underutilized", "Empty", "Drifted"])).optional(),
                      })
                      .strict()
                      .refine((budget) => (budget.schedule === undefined) === (budget.duration === undefined), {
                        error: "schedule and duration go together",
                      }),
                  )
                  .min(1)
                  .default([{ nodes: "10%" }]),
              })
              .strict(),
          })
          .strict(),
      })
      .strict(),
    /**
     * The workload the cost model prices this environment at (`npm run cost`, docs/cost.md): its nominal analysis
     * and load, and the run times the capacity model uses. Assumptions, not limits.
     */
    cost: z
      .object({
        ...costAssumptionFields,
        /** Analyses a month at the nominal load. */
        analysesPerMonth: positiveInt(),
        /** Samples in a nominal analysis. */
        samplesPerAnalysis: positiveInt().max(MAX_SAMPLES, `must be at most ${MAX_SAMPLES} (the samples of one analysis)`),
        /** Protein files in a nominal sample. */
        filesPerSample: positiveInt().max(MAX_FILES_PER_SAMPLE, `must be at most ${MAX_FILES_PER_SAMPLE} (the files of one sample)`),
        /** Minutes an identify job runs on one file. @default 10 */
        identifyMinutesPerFile: positiveNumber().default(10),
        /** Minutes the aggregate job runs per sample. @default 5 */
        aggregateMinutesPerSample: positiveNumber().default(5),
        /** Minutes the publish-metrics job runs per analysis. @default 2 */
        publishMinutesPerAnalysis: positiveNumber().default(2),
        /** Average size of an uploaded protein file, MiB. @default 50 */
        fileSizeMiB: positiveNumber().default(50),
        /** Months an analysis's uploads and results are kept in S3 Standard. @default 3 */
        storageMonths: positiveNumber().default(3),
        /** Share of the identify jobs' vCPU-hours that runs on Spot (the rest On-Demand). @default 0.9 */
        spotShare: fraction().default(0.9),
      })
      .strict(),
    /** Alerts and alarms of every layer, and the operations dashboard. */
    observability: z
      .object({
        /** Email addresses subscribed to the alerts topic (each confirms the subscription from its inbox). */
        alertEmails: z.array(z.email({ error: "must be an email address" })).min(1, "must list at least one address"),
        /** Alarm thresholds: an alarm fires when the metric crosses its threshold for the periods its module sets. */
        alarms: z
          .object({
            /** Metrics database: average CPU, %. @default 80 */
            databaseCpuPercent: percent().default(80),
            /** Metrics database: free storage below this, GiB. @default 10 */
            databaseFreeStorageGiB: positiveInt().default(10),
            /** Metrics database: client connections above this (about 75% of the instance class's max_connections). */
            databaseConnections: positiveInt(),
            /** Metrics database: WAL retained for the zero-ETL replication slot above this, MiB. @default 1024 */
            replicationSlotLagMiB: positiveInt().default(1024),
            /** RDS Proxy: availability of its target below this, %. @default 99 */
            proxyAvailabilityPercent: percent().default(99),
            /** Warehouse: disk used above this, %. @default 80 */
            warehouseDiskPercent: percent().default(80),
            /** Zero-ETL: seconds from a commit in RDS to its visibility in Redshift above this. @default 900 */
            replicationLagSeconds: positiveInt().default(900),
            /** Analysis state machine: failed, timed-out or throttled executions in 5 minutes reaching this. @default 1 */
            failedExecutions: positiveInt().default(1),
            /** Status dead-letter queue: messages waiting reaching this. @default 1 */
            deadLetterMessages: positiveInt().default(1),
            /** NAT gateways: port allocation errors in 5 minutes reaching this. @default 1 */
            natPortAllocationErrors: positiveInt().default(1),
            /** EKS: nodes failing (Container Insights) reaching this. @default 1 */
            failedNodes: positiveInt().default(1),
          })
          .strict(),
      })
      .strict(),
    /** The `<env>-network` stack. */
    network: networkSchema(REQUIRED_INTERFACE_ENDPOINTS, DEFAULT_INTERFACE_ENDPOINTS),
  })
  .strict()
  .superRefine((env, ctx) => {
    sharedRules(env, ctx);
    // The cost model's nominal load must be one the compute environments can run: its identify vCPU-hours a month
    // within every vCPU of both compute environments for every hour of the month.
    const { cost, pipeline } = env;
    const identifyVcpuHours = (cost.analysesPerMonth * cost.samplesPerAnalysis * cost.filesPerSample * pipeline.jobs.identify.vcpus * cost.identifyMinutesPerFile) / 60;
    const capacityVcpuHours = (pipeline.spotMaxVcpus + pipeline.onDemandMaxVcpus) * 730;
    if (identifyVcpuHours > capacityVcpuHours) {
      ctx.addIssue({
        code: "custom",
        path: ["cost", "analysesPerMonth"],
        message: `the nominal load needs ${Math.ceil(identifyVcpuHours).toLocaleString("en-US")} identify vCPU-hours a month, more than the ${capacityVcpuHours.toLocaleString("en-US")} the compute environments give running all month: lower it or raise pipeline.spotMaxVcpus / onDemandMaxVcpus`,
      });
    }
    if (env.tier === "production" && env.pipeline.executionDataInLogs) {
      ctx.addIssue({
        code: "custom",
        path: ["pipeline", "executionDataInLogs"],
        message: "must be false in production environments: execution data carries tenants' and analyses' ids (LGPD)",
      });
    }
    if (env.tier === "production" && !env.data.postgres.multiAz) {
      ctx.addIssue({ code: "custom", path: ["data", "postgres", "multiAz"], message: "must be true in production environments" });
    }
    const { cluster } = env;
    if (cluster.endpointPublicAccess && cluster.publicAccessCidrs.length === 0) {
      ctx.addIssue({ code: "custom", path: ["cluster", "publicAccessCidrs"], message: "must list the networks allowed when endpointPublicAccess is true" });
    }
    if (env.tier === "production" && cluster.endpointPublicAccess) {
      ctx.addIssue({ code: "custom", path: ["cluster", "endpointPublicAccess"], message: "must be false in production environments (private endpoint only)" });
    }
    if (/^1\.\d{2}$/.test(cluster.kubernetesVersion) && !cluster.addons.kubeProxy.startsWith(`v${cluster.kubernetesVersion}.`)) {
      ctx.addIssue({
        code: "custom",
        path: ["cluster", "addons", "kubeProxy"],
        message: `must match the cluster's Kubernetes version ${cluster.kubernetesVersion} (got ${cluster.addons.kubeProxy})`,
      });
    }
    for (const arn of cluster.viewerRoleArns.filter((viewer) => cluster.adminRoleArns.includes(viewer))) {
      ctx.addIssue({ code: "custom", path: ["cluster", "viewerRoleArns"], message: `must not repeat an admin role (${arn})` });
    }
    if (env.tier === "production" && env.platform.karpenter.amiAlias.endsWith("@latest")) {
      ctx.addIssue({
        code: "custom",
        path: ["platform", "karpenter", "amiAlias"],
        message: "must pin an AMI version in production environments (not @latest)",
      });
    }
    for (const [name, job] of Object.entries(env.pipeline.jobs)) {
      if (job.vcpus > Math.max(env.pipeline.spotMaxVcpus, env.pipeline.onDemandMaxVcpus)) {
        ctx.addIssue({
          code: "custom",
          path: ["pipeline", "jobs", name, "vcpus"],
          message: `must fit in a compute environment (at most ${Math.max(env.pipeline.spotMaxVcpus, env.pipeline.onDemandMaxVcpus)} vCPUs)`,
        });
      }
    }
    for (const name of ["api", "frontend"] as const) {
      if (env.tier === "production" && env.apps[name].minReplicas < 2) {
        ctx.addIssue({ code: "custom", path: ["apps", name, "minReplicas"], message: "must be at least 2 in production environments" });
      }
    }
    if (env.tier === "production") {
      const retentions: Array<[Array<string | number>, number]> = [
        [["apps", "logRetentionDays"], env.apps.logRetentionDays],
        [["data", "postgres", "logRetentionDays"], env.data.postgres.logRetentionDays],
        [["data", "redshift", "logRetentionDays"], env.data.redshift.logRetentionDays],
        [["cluster", "logRetentionDays"], env.cluster.logRetentionDays],
        [["pipeline", "logRetentionDays"], env.pipeline.logRetentionDays],
      ];
      for (const [path, days] of retentions.filter(([, days]) => days < PRODUCTION_LOG_RETENTION_DAYS)) {
        ctx.addIssue({ code: "custom", path, message: `production environments keep logs at least ${PRODUCTION_LOG_RETENTION_DAYS} days (got ${days})` });
      }
    }
    // Roles the environment names must live in its own account (checked once the account id itself is valid).
    const roles: Array<[Array<string | number>, string]> = [
      ...env.cluster.adminRoleArns.map((arn, index): [Array<string | number>, string] => [["cluster", "adminRoleArns", index], arn]),
      ...env.cluster.viewerRoleArns.map((arn, index): [Array<string | number>, string] => [["cluster", "viewerRoleArns", index], arn]),
    ];
    for (const [path, arn] of roles) {
      const roleAccount = arn?.split(":")[4];
      if (roleAccount !== undefined && /^\d{12}$/.test(env.awsAccountId) && roleAccount !== env.awsAccountId) {
        ctx.addIssue({ code: "custom", path, message: `must be a role in the environment's own account ${env.awsAccountId} (got account ${roleAccount})` });
      }
    }
  });
/** Interface endpoints the tooling VPC cannot run Atlantis without: image pulls, credentials, logs, secrets, keys. */
export const TOOLING_INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "sts", "logs", "secretsmanager", "kms"] as const;

/** A network the Atlantis load balancer admits: an IPv4 CIDR block, no broader than a /16. */
const sourceRange = () =>
  z.string({ error: "must be a string" }).superRefine((text, ctx) => {
    const cidr = tryParseCidr(text);
    if (!cidr || cidr.hostBitsSet) ctx.addIssue({ code: "custom", message: `must be an IPv4 CIDR block (got "${text}")` });
    else if (cidr.prefix < MINIMUM_SOURCE_PREFIX) {
      ctx.addIssue({ code: "custom", message: `must be no broader than a /${MINIMUM_SOURCE_PREFIX}: list the actual ranges, never the internet (got ${text})` });
    }
  });

/**
 * The tooling environment: a shared-services account that runs the delivery tools (Atlantis on ECS Fargate) and
 * reaches every workload environment's private endpoints through VPC peering. Its stacks are applied by hand.
 */
export const toolingEnvironmentSchema = z
  .object({
    /** What the environment is: `workload` runs the platform, `tooling` runs the delivery tools (Atlantis). */
    kind: z.literal("tooling"),
    ...sharedFields,
    /** What the cost model assumes of the tooling account's usage (`npm run cost`). */
    cost: z.object({ ...costAssumptionFields }).strict().default({ logIngestionGiBPerMonth: 5 }),
    /** Where the tooling stacks' alarms go. */
    observability: z
      .object({
        /** Email addresses subscribed to the alerts topic (each confirms the subscription from its inbox). */
        alertEmails: z.array(z.email({ error: "must be an email address" })).min(1, "must list at least one address"),
        /** Alarm thresholds. */
        alarms: z
          .object({
            /** NAT gateways: port allocation errors in 5 minutes reaching this. @default 1 */
            natPortAllocationErrors: positiveInt().default(1),
          })
          .strict()
          .default({ natPortAllocationErrors: 1 }),
      })
      .strict(),
    /** The `tooling-network` stack: the tooling VPC, peered with every workload environment's. */
    network: networkSchema(TOOLING_INTERFACE_ENDPOINTS, TOOLING_INTERFACE_ENDPOINTS).extend({
      /**
       * The tooling VPC's id, once `tooling-network` is applied (its `vpc-id` output): each workload environment's
       * network stack requests a peering connection to it. @default none (no peering requested yet)
       */
      vpcId: z.string({ error: "must be a string" }).regex(/^vpc-[0-9a-f]{8,17}$/, { error: "must be a VPC id like vpc-0123456789abcdef0" }).optional(),
    }),
    /** The `tooling-atlantis` stack: the planner and applier Atlantis servers. */
    atlantis: z
      .object({
        /** Immutable tag of the Atlantis image (atlantis-server/Dockerfile) in the tooling ECR repository. */
        imageTag: z
          .string({ error: "must be a string" })
          .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: "must be an image tag" })
          .refine((tag) => tag !== "latest", { error: "must be a release tag, not latest (tags are immutable)" }),
        /** Host name of the planner; the applier answers on `deploy.<domain>`. */
        domain: z
          .string({ error: "must be a string" })
          .regex(/^(?=.{4,246}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { error: "must be a DNS name like atlantis.example.com" }),
        /** Route 53 hosted zone of the domain: certificate validation and the DNS records are managed when set. @default none (manual DNS) */
        hostedZoneId: z.string({ error: "must be a string" }).regex(/^Z[A-Z0-9]{1,32}$/, { error: "must be a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ" }).optional(),
        /** CPU units of each server's task (a Fargate size). @default 2048 */
        cpu: positiveInt().default(2048),
        /** Memory of each server's task, MiB (a size Fargate allows with the CPU). @default 8192 */
        memoryMiB: positiveInt().default(8192),
        /** GitHub App of each server (one App per server: each has its own webhook URL and key). */
        githubAppIds: z.object({ planner: positiveInt(), applier: positiveInt() }).strict(),
        /** GitHub team (slug, in the repository's organization) whose members may run the applier's commands. */
        deployTeam: z.string({ error: "must be a string" }).regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, { error: "must be a GitHub team slug like platform-engineering" }),
        /** GitHub's webhook source ranges (the `hooks` list of https://api.github.com/meta): the only sources of `POST /events`. */
        webhookCidrs: z.array(sourceRange()).min(1, "must list GitHub's hook ranges"),
        /** Networks the servers' web UI admits (the company VPN or office ranges). */
        uiCidrs: z.array(sourceRange()).min(1, "must list at least one network"),
        /** Days the servers' logs are kept. @default 365 */
        logRetentionDays: logRetentionDays().default(365),
        /** Requests one client IP may make per 5 minutes before the firewall blocks it. @default 1000 */
        wafRateLimit: positiveInt().min(100, "must be at least 100 requests per 5 minutes").default(1000),
      })
      .strict(),
  })
  .strict()
  .superRefine((env, ctx) => {
    sharedRules(env, ctx);
    if (env.tier === "production" && env.atlantis.logRetentionDays < PRODUCTION_LOG_RETENTION_DAYS) {
      ctx.addIssue({
        code: "custom",
        path: ["atlantis", "logRetentionDays"],
        message: `production environments keep logs at least ${PRODUCTION_LOG_RETENTION_DAYS} days (got ${env.atlantis.logRetentionDays})`,
      });
    }
    // ELB names are the shortest limit of the tooling stacks: the longest of them must fit.
    const elbNames = [loadBalancerName(`${env.project}-${env.name}`), ...ATLANTIS_SERVER_IDS.map((server) => targetGroupName(`${env.project}-${env.name}`, server))];
    const longest = elbNames.reduce((a, b) => (b.length > a.length ? b : a));
    if (longest.length > ELB_NAME_MAX) {
      ctx.addIssue({
        code: "custom",
        path: ["name"],
        message: `must leave room for the Atlantis load balancer's names (at most ${ELB_NAME_MAX} characters): "${longest}" has ${longest.length}; shorten the project or the environment name`,
      });
    }
    const sizeProblem = fargateSizeProblem(env.atlantis.cpu, env.atlantis.memoryMiB);
    if (sizeProblem !== undefined) ctx.addIssue({ code: "custom", path: ["atlantis", "memoryMiB"], message: `must be a Fargate task size: ${sizeProblem}` });
    if (env.atlantis.githubAppIds.planner === env.atlantis.githubAppIds.applier) {
      ctx.addIssue({
        code: "custom",
        path: ["atlantis", "githubAppIds", "applier"],
        message: "must differ from the planner's (each server has its own GitHub App, webhook and key)",
      });
    }
  });

/** Every kind of environment, told apart by `kind`. */
export const environmentSchema = z.discriminatedUnion("kind", [workloadEnvironmentSchema, toolingEnvironmentSchema]);

/** Kinds of environment. */
export const ENVIRONMENT_KINDS = ["workload", "tooling"] as const;

/** A workload environment as written in `environments/<name>.ts` (defaults may be omitted). */
export type EnvironmentInput = z.input<typeof workloadEnvironmentSchema>;

/** A validated workload environment with every default applied. */
export type EnvironmentConfig = z.output<typeof workloadEnvironmentSchema>;

/** The tooling environment as written in `environments/tooling.ts`. */
export type ToolingInput = z.input<typeof toolingEnvironmentSchema>;

/** The validated tooling environment. */
export type ToolingConfig = z.output<typeof toolingEnvironmentSchema>;

/** Any validated environment. */
export type AnyEnvironmentConfig = EnvironmentConfig | ToolingConfig;
