import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { AnyEnvironmentConfig } from "../environments";
import { cloudWatchLogsKeyStatement } from "../modules/kms/key-statements";
import { EncryptionKey } from "../modules/kms/kms-key";
import { AlarmDestination } from "../modules/observability/threshold-alarm";
import { AccessAnalyzers } from "../modules/security/access-analyzers";
import { AuditTrail, trailArn, trailBucketStatements, trailKeyStatements } from "../modules/security/audit-trail";
import { ConfigRecorder, configBucketStatements, configKeyStatement } from "../modules/security/config-recorder";
import { FindingAlerts, SecurityAlarms, trailSignals } from "../modules/security/security-alarms";
import { SecurityHub } from "../modules/security/security-hub";
import { ThreatDetection, findingsBucketStatements, findingsKeyStatement } from "../modules/security/threat-detection";
import { AccessLogBucket } from "../modules/storage/access-log-bucket";
import { SecureBucket } from "../modules/storage/secure-bucket";
import { EnvironmentStack } from "./environment-stack";
import { identityRoleArn } from "./naming";

/** Days IAM Access Analyzer waits before it reports a role, key or permission as unused. */
const UNUSED_ACCESS_AGE_DAYS = 90;

/** The buckets whose object reads and writes the trail records: customer data (workload environments) and state. */
export function auditedBuckets(env: AnyEnvironmentConfig): string[] {
  const customer = env.kind === "workload" ? ["uploads", "results", "work"].map((purpose) => `${env.project}-${env.name}-${purpose}-${env.awsAccountId}`) : [];
  return [...customer, env.state.bucketName];
}

/**
 * `<env>-security`: the account's detection baseline, applied right after the network (whose alerts topic it
 * notifies) and before anything that holds data: the audit trail (every region's management events and the S3 data
 * events of the customer and state buckets), GuardDuty with its protections and exported findings, Security Hub with
 * the Foundational Security Best Practices, AWS Config with the rules the guardrails cannot check at runtime, IAM
 * Access Analyzer, and the security alarms. Their logs go to one audit log bucket with its own key, locked in
 * production. A service an organization runs centrally (`security.organizationManaged`) is not duplicated.
 */
export class SecurityStack extends EnvironmentStack {
  /** The audit log bucket. */
  readonly auditLogs: SecureBucket;

  constructor(scope: Construct, env: AnyEnvironmentConfig, alerts: AlarmDestination) {
    super(scope, "security", env);
    const { security } = env;
    const managed = security.organizationManaged;
    const location = { accountId: env.awsAccountId, region: env.region };
    const trail = trailArn(this.namePrefix, env.region, env.awsAccountId);
    const bucketName = `${this.namePrefix}-audit-logs-${env.awsAccountId}`;
    const bucketArn = `arn:aws:s3:::${bucketName}`;
    // AWS Config cannot deliver to a bucket with Object Lock: its history has a bucket of its own.
    const configBucketName = `${this.namePrefix}-config-history-${env.awsAccountId}`;

    const key = new EncryptionKey(this, "audit-key", {
      namePrefix: this.namePrefix,
      purpose: "audit",
      description: `Audit logs of ${this.namePrefix}: the trail, AWS Config's history, GuardDuty's findings`,
      ...location,
      viaServices: ["s3"],
      preventDestroy: env.protection.preventDestroy,
      servicePrincipalStatements: [
        ...(managed.trail ? [] : trailKeyStatements(trail, env.awsAccountId)),
        ...(managed.guardDuty ? [] : [findingsKeyStatement(env.region, env.awsAccountId)]),
        ...(managed.config ? [] : [configKeyStatement(env.awsAccountId)]),
        cloudWatchLogsKeyStatement(env.region, env.awsAccountId, [`/${this.namePrefix}/security/*`]),
      ],
    });
    const accessLogs = new AccessLogBucket(this, "audit-access-logs", {
      bucketName: `${this.namePrefix}-audit-s3-access-${env.awsAccountId}`,
      accountId: env.awsAccountId,
      sourceBucketPattern: `${this.namePrefix}-*`,
      retentionDays: security.auditLogRetentionDays,
      preventDestroy: env.protection.preventDestroy,
    });
    this.auditLogs = new SecureBucket(this, "audit-logs", {
      bucketName,
      encryption: key,
      accessLogs,
      // Nothing overwrites an audit log: versions exist only for Object Lock; current ones expire with the retention.
      noncurrentVersionDays: 1,
      expirationDays: security.auditLogRetentionDays,
      objectLockDays: security.auditLogObjectLock ? security.auditLogRetentionDays : undefined,
      preventDestroy: env.protection.preventDestroy,
      policyStatements: [
        ...(managed.trail ? [] : trailBucketStatements(bucketArn, trail, env.awsAccountId)),
        ...(managed.guardDuty ? [] : findingsBucketStatements(bucketArn, env.region, env.awsAccountId)),
      ],
    });

    if (!managed.trail) {
      const auditTrail = new AuditTrail(this, "trail", {
        namePrefix: this.namePrefix,
        ...location,
        bucketName: this.auditLogs.name,
        bucketPolicy: this.auditLogs.policy,
        key,
        dataEventBuckets: auditedBuckets(env),
        retentionDays: security.auditLogRetentionDays,
        deletionProtection: env.protection.deletionProtection,
      });
      new SecurityAlarms(this, "trail-alarms", {
        destination: alerts,
        logGroupName: auditTrail.logGroup.name,
        signals: trailSignals({ deployRoleArn: identityRoleArn(env, "deploy"), protectedBuckets: auditedBuckets(env) }),
      });
      new TerraformOutput(this, "trail-arn", { value: auditTrail.arn, description: "The account's audit trail" });
    }
    if (!managed.guardDuty) {
      const detection = new ThreatDetection(this, "guardduty", { bucketArn: this.auditLogs.arn, bucketPolicy: this.auditLogs.policy, key });
      new TerraformOutput(this, "guardduty-detector-id", { value: detection.detectorId, description: "GuardDuty detector" });
    }
    if (!managed.securityHub) new SecurityHub(this, "security-hub", { region: env.region });
    if (!managed.config) {
      const history = new SecureBucket(this, "config-history", {
        bucketName: configBucketName,
        encryption: key,
        accessLogs,
        noncurrentVersionDays: 1,
        expirationDays: security.auditLogRetentionDays,
        preventDestroy: env.protection.preventDestroy,
        policyStatements: configBucketStatements(`arn:aws:s3:::${configBucketName}`, env.awsAccountId),
      });
      new ConfigRecorder(this, "config", { namePrefix: this.namePrefix, ...location, bucketName: history.name, bucketArn: history.arn, bucketPolicy: history.policy, key });
    }
    if (!managed.accessAnalyzer) new AccessAnalyzers(this, "access-analyzer", { namePrefix: this.namePrefix, unusedAccessAgeDays: UNUSED_ACCESS_AGE_DAYS });
    // Findings alert whoever runs the service: an organization's delegated administrator still sends them here.
    new FindingAlerts(this, "finding-alerts", { destination: alerts, guardDutySeverity: security.findingSeverity });
    new TerraformOutput(this, "audit-log-bucket", { value: this.auditLogs.name, description: "Audit logs: trail, AWS Config, GuardDuty findings" });
  }
}
