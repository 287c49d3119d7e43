import { SynthesizedStack } from "./synthesized-stack";

/** A resource that breaks a rule, and what to change. */
export interface Finding {
  /** Terraform address of the offending resource or provider. */
  readonly address: string;
  /** What is wrong and what to change, in one sentence. */
  readonly message: string;
}

/** What the environment of the checked stack asks for, for rules whose requirement depends on it. */
export interface GuardrailContext {
  /** Databases and tables must have deletion protection on. */
  readonly deletionProtectionRequired: boolean;
  /** Databases must take a final snapshot when deleted. */
  readonly finalSnapshotRequired: boolean;
  /** Stateful resources (buckets, tables, keys, databases, repositories, secrets) must carry `prevent_destroy`. */
  readonly preventDestroyRequired: boolean;
  /** Databases must run in more than one availability zone. */
  readonly multiAzRequired: boolean;
  /** Fewest days a log group may keep its events (1: any finite retention). */
  readonly minimumLogRetentionDays: number;
  /**
   * Networks a private API (EKS control plane, RDS proxy) may admit by CIDR: the environment's VPC and its listed API
   * clients (Atlantis's subnets in the tooling VPC). @default any private range (RFC 1918)
   */
  readonly privateApiClientCidrs?: readonly string[];
  /** State machines log each state's input and output (never in production). @default false */
  readonly executionDataInLogs?: boolean;
}

/** Days of logs production keeps at least: a year of history for incident investigations and LGPD requests. */
export const PRODUCTION_LOG_RETENTION_DAYS = 365;

/** The strictest context: what a stack outside any environment is held to. */
export const STRICT_CONTEXT: GuardrailContext = {
  deletionProtectionRequired: true,
  finalSnapshotRequired: true,
  preventDestroyRequired: true,
  multiAzRequired: true,
  minimumLogRetentionDays: PRODUCTION_LOG_RETENTION_DAYS,
};

/** One guardrail: a requirement checked on every synthesized stack. */
export interface GuardrailRule {
  /** Stable id, used in messages and suppressions, e.g. `s3-versioning`. */
  readonly id: string;
  /** What the rule requires. */
  readonly requirement: string;
  /** Why the project requires it. */
  readonly rationale: string;
  /** Returns every resource of the stack that breaks the rule. */
  check(stack: SynthesizedStack, context: GuardrailContext): Finding[];
}
