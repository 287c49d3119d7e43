import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { Construct } from "constructs";
import { IamRole, serviceTrust } from "../iam/iam-role";
import { EncryptionKey } from "../kms/kms-key";
import { LogGroup } from "../logging/log-group";
import { SecurityGroup } from "../network/security-group";
import { Metric } from "../observability/metric";
import { AlarmDestination, ThresholdAlarm, ThresholdAlarmProps } from "../observability/threshold-alarm";

/** Logs the instance exports to CloudWatch (each to a log group created here, encrypted and with retention). */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade", "iam-db-auth-error"] as const;

/**
 * Parameters of the metrics database: TLS only; logical replication as the zero-ETL integration to Redshift
 * requires it (full replica identity, origin replication role, enough WAL senders and slots, no WAL size cap
 * that could invalidate the integration's slot); DDL, slow statements and lock waits logged.
 */
export const POSTGRES_PARAMETERS: Readonly<Record<string, string>> = {
  "rds.force_ssl": "1",
  "rds.logical_replication": "1",
  "rds.replica_identity_full": "1",
  session_replication_role: "origin",
  max_replication_slots: "25",
  max_wal_senders: "25",
  wal_sender_timeout: "60000",
  max_slot_wal_keep_size: "-1",
  log_statement: "ddl",
  log_min_duration_statement: "1000",
  log_lock_waits: "1",
  log_connections: "1",
  log_disconnections: "1",
};

/** Thresholds of the metrics database's alarms. */
export interface DatabaseAlarmThresholds {
  /** Average CPU, %. */
  readonly cpuPercent: number;
  /** Free storage below this, GiB. */
  readonly freeStorageGiB: number;
  /** Client connections above this. */
  readonly connections: number;
  /** WAL held by the oldest replication slot above this, MiB. */
  readonly replicationSlotLagMiB: number;
}

export interface MetricsDatabaseProps {
  /** Resource name prefix, `<project>-<env>`; the instance is `<prefix>-metrics`. */
  readonly namePrefix: string;
  /** Account of the instance (scopes the monitoring role's trust). */
  readonly accountId: string;
  /** The VPC and the isolated subnets the instance lives in. */
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /** Engine version: a major (`17`, minor upgrades automatic) or a full version. */
  readonly engineVersion: string;
  /** Instance class, e.g. `db.r7g.large`. */
  readonly instanceClass: string;
  /** Initial gp3 storage and the autoscaling ceiling, in GiB. */
  readonly allocatedStorageGiB: number;
  readonly maxAllocatedStorageGiB: number;
  /** A standby in another zone with synchronous replication. */
  readonly multiAz: boolean;
  /** Days of automated backups (point-in-time recovery). */
  readonly backupRetentionDays: number;
  /** Daily backup window and weekly maintenance window, UTC (`hh:mm-hh:mm`, `ddd:hh:mm-ddd:hh:mm`). */
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
  /** Refuse deletion; take a final snapshot on deletion; Terraform `prevent_destroy`. */
  readonly deletionProtection: boolean;
  readonly finalSnapshot: boolean;
  readonly preventDestroy: boolean;
  /** Database created with the instance, holding the analysis metrics. */
  readonly databaseName: string;
  /** Master user; its password is generated and rotated by RDS in Secrets Manager. */
  readonly masterUsername: string;
  /** Days of Performance Insights history (7, or a multiple of 31 up to 731). */
  readonly performanceInsightsRetentionDays: number;
  /** Enhanced Monitoring granularity in seconds (0 turns it off). */
  readonly monitoringIntervalSeconds: number;
  /** Days the exported logs are kept. */
  readonly logRetentionDays: number;
  /** Keys: storage and Performance Insights (`data`), master secret (`secrets`), log groups (`logs`). */
  readonly dataKey: EncryptionKey;
  readonly secretsKey: EncryptionKey;
  readonly logsKey: EncryptionKey;
}

/**
 * RDS for PostgreSQL holding the analysis metrics, in the isolated subnets: encrypted storage (gp3, autoscaling),
 * RDS-managed master password, IAM database authentication, TLS enforced, logical replication for zero-ETL, logs
 * exported to encrypted log groups, Performance Insights and Enhanced Monitoring. It admits connections from its
 * proxy only (see {@link DatabaseProxy}).
 */
export class MetricsDatabase extends Construct {
  /** Instance identifier, `<prefix>-metrics`, as text (names, metric dimensions, documents). */
  readonly identifier: string;
  /**
   * The same identifier read from the created instance: what refers to the instance itself (the proxy's target) uses
   * this, so Terraform creates it after the instance and destroys it before.
   */
  readonly instanceIdentifier: string;
  /** Instance ARN (the zero-ETL source). */
  readonly arn: string;
  /** The PostgreSQL log (connections, authentication failures), which the security alarms read. */
  readonly postgresLog: LogGroup;
  /** The `db-...` resource id, used in `rds-db:connect` ARNs of direct connections. */
  readonly resourceId: string;
  /** Instance address (clients use the proxy instead). */
  readonly address: string;
  /** Database name. */
  readonly databaseName: string;
  /** Port. */
  readonly port = 5432;
  /** ARN of the master user secret RDS manages. */
  readonly masterSecretArn: string;
  /** Security group of the instance. */
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: MetricsDatabaseProps) {
    super(scope, id);
    this.identifier = `${props.namePrefix}-metrics`;
    this.databaseName = props.databaseName;
    const family = `postgres${props.engineVersion.split(".")[0]}`;

    const subnetGroup = new DbSubnetGroup(this, "subnet-group", {
      name: this.identifier,
      description: "Isolated subnets of the metrics database",
      subnetIds: [...props.subnetIds],
    });
    const parameterGroup = new DbParameterGroup(this, "parameters", {
      // Any replacement (a new family at a major upgrade, a new description) creates the new group before the old
      // one goes, so the name must be new each time: Terraform appends a unique suffix to the prefix.
      namePrefix: `${this.identifier}-${family}-`,
      family,
      description: "Metrics database: TLS only, logical replication for zero-ETL, statement logging",
      parameter: Object.entries(POSTGRES_PARAMETERS).map(([name, value]) => ({ name, value, applyMethod: "pending-reboot" })),
      lifecycle: { createBeforeDestroy: true },
    });
    this.securityGroup = new SecurityGroup(this, "security-group", {
      groupName: `${this.identifier}-db`,
      description: "Metrics database: PostgreSQL from its RDS Proxy only",
      vpcId: props.vpcId,
    });
    const logGroups = POSTGRES_LOG_EXPORTS.map(
      (log) =>
        new LogGroup(this, `log-${log}`, {
          name: `/aws/rds/instance/${this.identifier}/${log}`,
          retentionDays: props.logRetentionDays,
          encryptionKey: props.logsKey,
          logClass: "audit",
          deletionProtection: props.deletionProtection,
        }),
    );
    this.postgresLog = logGroups[POSTGRES_LOG_EXPORTS.indexOf("postgresql")];
    const monitoringRole =
      props.monitoringIntervalSeconds > 0
        ? new IamRole(this, "monitoring-role", {
            roleName: `${this.identifier}-monitoring`,
            description: "Publishes the metrics database's Enhanced Monitoring metrics",
            trust: [serviceTrust("monitoring.rds.amazonaws.com", props.accountId)],
            managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"],
          })
        : undefined;

    const instance = new DbInstance(this, "instance", {
      identifier: this.identifier,
      engine: "postgres",
      engineVersion: props.engineVersion,
      instanceClass: props.instanceClass,
      storageType: "gp3",
      allocatedStorage: props.allocatedStorageGiB,
      maxAllocatedStorage: props.maxAllocatedStorageGiB,
      storageEncrypted: true,
      kmsKeyId: props.dataKey.arn,
      dbName: props.databaseName,
      username: props.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.secretsKey.arn,
      iamDatabaseAuthenticationEnabled: true,
      port: this.port,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      parameterGroupName: parameterGroup.name,
      publiclyAccessible: false,
      multiAz: props.multiAz,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      backupRetentionPeriod: props.backupRetentionDays,
      backupWindow: props.backupWindow,
      maintenanceWindow: props.maintenanceWindow,
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      deletionProtection: props.deletionProtection,
      skipFinalSnapshot: !props.finalSnapshot,
      finalSnapshotIdentifier: props.finalSnapshot ? `${this.identifier}-final` : undefined,
      enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: props.dataKey.arn,
      performanceInsightsRetentionPeriod: props.performanceInsightsRetentionDays,
      monitoringInterval: props.monitoringIntervalSeconds,
      monitoringRoleArn: monitoringRole?.arn,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      applyImmediately: false,
      lifecycle: { preventDestroy: props.preventDestroy },
      // RDS would create the log groups itself, unencrypted and kept forever.
      dependsOn: logGroups.map((group) => group.resource),
    });
    // RDS refuses a monitoring role without its policy yet: "IAM role ARN value is invalid or does not include the
    // required permissions for: ENHANCED_MONITORING".
    monitoringRole?.grantsBefore(instance);
    this.arn = instance.arn;
    this.instanceIdentifier = instance.identifier;
    this.resourceId = instance.resourceId;
    this.address = instance.address;
    this.masterSecretArn = instance.masterUserSecret.get(0).secretArn;
  }

  /** A CloudWatch metric of the instance (`AWS/RDS`). */
  metric(metricName: string, statistic: Metric["statistic"], label?: string): Metric {
    return { namespace: "AWS/RDS", metricName, dimensions: { DBInstanceIdentifier: this.identifier }, statistic, label };
  }

  /**
   * Alarms on the instance: CPU, free storage, client connections, and the WAL the zero-ETL replication slot holds
   * back (it grows when Redshift stops consuming, until the disk is full).
   */
  addAlarms(destination: AlarmDestination, thresholds: DatabaseAlarmThresholds): void {
    const alarm = (name: string, props: Omit<ThresholdAlarmProps, "name" | "destination">) =>
      new ThresholdAlarm(this, `${name}-alarm`, { name: `metrics-db-${name}`, destination, ...props });
    alarm("cpu", {
      description: `${this.identifier}: CPU above ${thresholds.cpuPercent}% for 15 minutes. Check Performance Insights for the top SQL; scale the instance class in config if it is load.`,
      metric: this.metric("CPUUtilization", "Average"),
      comparison: "GreaterThanThreshold",
      threshold: thresholds.cpuPercent,
      evaluationPeriods: 3,
    });
    alarm("free-storage", {
      description: `${this.identifier}: less than ${thresholds.freeStorageGiB} GiB free although storage autoscales. Check the replication slot lag and raise maxAllocatedStorageGiB.`,
      metric: this.metric("FreeStorageSpace", "Minimum"),
      comparison: "LessThanThreshold",
      threshold: thresholds.freeStorageGiB * 2 ** 30,
    });
    alarm("connections", {
      description: `${this.identifier}: more than ${thresholds.connections} connections for 15 minutes, near max_connections. Check the proxy's pinned sessions and the clients.`,
      metric: this.metric("DatabaseConnections", "Maximum"),
      comparison: "GreaterThanThreshold",
      threshold: thresholds.connections,
      evaluationPeriods: 3,
    });
    alarm("replication-slot-lag", {
      description: `${this.identifier}: the zero-ETL replication slot holds more than ${thresholds.replicationSlotLagMiB} MiB of WAL: Redshift is not consuming (warehouse unavailable or resizing, failed integration). Check the integration's state.`,
      metric: this.metric("OldestReplicationSlotLag", "Maximum"),
      comparison: "GreaterThanThreshold",
      threshold: thresholds.replicationSlotLagMiB * 2 ** 20,
      evaluationPeriods: 3,
    });
  }
}
