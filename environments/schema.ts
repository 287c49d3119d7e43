import { z } from "zod";
import { LOG_RETENTION_DAYS } from "../modules/logging/log-group";
import { PRIVATE_RANGES, cidrContains, formatCidr, tryParseCidr } from "../modules/network/cidr";
import { SubnetPlanError, planSubnets } from "../modules/network/subnet-plan";
import { DEFAULT_INTERFACE_ENDPOINTS, REQUIRED_INTERFACE_ENDPOINTS } from "../modules/network/vpc-endpoints";
import { AWS_REGIONS, DEFAULT_REGION } from "./regions";

/**
 * The one schema every environment config passes through. Fields are grouped by the layer that consumes them;
 * rules that relate fields of one environment live in `superRefine` below, rules across environments in
 * `./load.ts`. Every message says what is required, so that together with the environment and the field path it
 * tells the reader exactly what to fix.
 */

const positiveInt = () =>
  z.number({ error: "must be a number" }).int("must be a whole number").positive("must be greater than 0");

const nonEmpty = () => z.string({ error: "must be a string" }).trim().min(1, "must not be empty");

const logRetentionDays = () =>
  z.number({ error: "must be a number" }).refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
    error: (issue) => `must be a retention CloudWatch Logs accepts (${LOG_RETENTION_DAYS.join(", ")}; got ${JSON.stringify(issue.input)})`,
  });

// The range a prefix may take depends on the VPC's; the subnet plan checks it (superRefine below).
const subnetPrefix = (fallback: number) => z.number({ error: "must be a number" }).int("must be a whole number").default(fallback);

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

export const environmentSchema = z
  .object({
    /** Short name; prefixes every stack (`<name>-<layer>`) and resource name. */
    name: z.string({ error: "must be a string" }).regex(/^[a-z][a-z0-9]{1,11}$/, {
      error: "must be 2-12 lowercase letters or digits, starting with a letter",
    }),
    /** How the environment is treated: production gets the strictest rules. */
    tier: z.enum(TIERS, { error: `must be one of ${TIERS.join(", ")}` }),
    /** Project name; first part of every resource name (`<project>-<env>-<purpose>`). */
    project: z.string({ error: "must be a string" }).regex(/^[a-z][a-z0-9-]{1,19}$/, {
      error: "must be 2-20 lowercase letters, digits or dashes, starting with a letter",
    }),
    /** The AWS account that holds this environment, and the only one its providers may touch. */
    awsAccountId: z.string({ error: "must be a string" }).regex(/^\d{12}$/, { error: "must be exactly 12 digits" }),
    /** Region of every resource. @default sa-east-1 (users and data in Brazil, LGPD) */
    region: z
      .enum(AWS_REGIONS, { error: (issue) => `must be an AWS commercial region such as ${DEFAULT_REGION} (got ${JSON.stringify(issue.input)})` })
      .default(DEFAULT_REGION),
    /** Role the AWS provider and the state backend assume in the account. @default none (ambient credentials) */
    deployRoleArn: z
      .string({ error: "must be a string" })
      .regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, { error: "must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)" })
      .optional(),
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
      })
      .strict(),
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
        /**
         * Whether the `<env>-state` stack itself has been migrated into its bucket. False on a new account: the
         * stack uses a local backend until it has created the bucket (see docs/provisioning.md). @default false
         */
        bootstrapComplete: z.boolean({ error: "must be true or false" }).default(false),
      })
      .strict(),
    /** The `<env>-network` stack. */
    network: z
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
         * service name after `com.amazonaws.<region>.`. Must include ${REQUIRED_INTERFACE_ENDPOINTS.join(", ")}.
         * @default those plus eks, eks-auth and redshift-data
         */
        interfaceEndpoints: z
          .array(z.string({ error: "must be a string" }).regex(/^[a-z0-9][a-z0-9.-]*$/, { error: "must be a service name such as ecr.api" }))
          .refine((services) => new Set(services).size === services.length, { error: "must not repeat a service" })
          .refine((services) => REQUIRED_INTERFACE_ENDPOINTS.every((service) => services.includes(service)), {
            error: (issue) =>
              `must include ${REQUIRED_INTERFACE_ENDPOINTS.filter((service) => !(issue.input as string[]).includes(service)).join(", ")}`,
          })
          .default([...DEFAULT_INTERFACE_ENDPOINTS]),
        /** Days VPC flow logs are kept (365 or more in production). */
        flowLogRetentionDays: logRetentionDays(),
      })
      .strict(),
  })
  .strict()
  .superRefine((env, ctx) => {
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
    if (env.tier === "production" && !env.protection.preventDestroy) {
      ctx.addIssue({
        code: "custom",
        path: ["protection", "preventDestroy"],
        message: "production environments must protect stateful resources with prevent_destroy",
      });
    }
    if (env.tier === "production" && env.network.natGateways !== "perAz") {
      ctx.addIssue({
        code: "custom",
        path: ["network", "natGateways"],
        message: "production environments need one NAT gateway per availability zone (perAz)",
      });
    }
    if (env.tier === "production" && env.network.flowLogRetentionDays < 365) {
      ctx.addIssue({
        code: "custom",
        path: ["network", "flowLogRetentionDays"],
        message: `production environments keep flow logs at least 365 days (got ${env.network.flowLogRetentionDays})`,
      });
    }
    if (env.network.availabilityZones.length > env.network.azSlots) {
      ctx.addIssue({
        code: "custom",
        path: ["network", "azSlots"],
        message: `must be at least the number of availability zones (${env.network.availabilityZones.length})`,
      });
    } else if (tryParseCidr(env.network.vpcCidr)?.hostBitsSet === false) {
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
    const roleAccount = env.deployRoleArn?.split(":")[4];
    if (roleAccount !== undefined && /^\d{12}$/.test(env.awsAccountId) && roleAccount !== env.awsAccountId) {
      ctx.addIssue({
        code: "custom",
        path: ["deployRoleArn"],
        message: `must be a role in the environment's own account ${env.awsAccountId} (got account ${roleAccount})`,
      });
    }
  });

/** An environment as written in `environments/<name>.ts` (defaults may be omitted). */
export type EnvironmentInput = z.input<typeof environmentSchema>;

/** A validated environment with every default applied. */
export type EnvironmentConfig = z.output<typeof environmentSchema>;
