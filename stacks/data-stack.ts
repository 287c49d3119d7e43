import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { EnvironmentConfig } from "../environments";
import { AnalyticsWarehouse } from "../modules/data/analytics-warehouse";
import { ContainerRepository } from "../modules/data/container-repository";
import { DataBuckets } from "../modules/data/data-buckets";
import { DataKeys } from "../modules/data/data-keys";
import { DatabaseProxy } from "../modules/data/database-proxy";
import { MetricsDatabase } from "../modules/data/metrics-database";
import { UploadScanning } from "../modules/data/upload-scanning";
import { WarehouseSetup } from "../modules/data/warehouse-setup";
import { ZeroEtlIntegration } from "../modules/data/zero-etl-integration";
import { dashboardRefreshName } from "../modules/pipeline/dashboard-refresh";
import { stateMachineRoleName } from "../modules/pipeline/pipeline-names";
import { Network } from "../modules/network/network";
import { AlarmDestination } from "../modules/observability/threshold-alarm";
import { EnvironmentStack } from "./environment-stack";
import { customerDataRoleArns, identityRoleArn, workloadRoleName } from "./naming";
import { tenantRoleName } from "../modules/tenancy/tenant-session";
import { SecurityAlarms, databaseAuthenticationSignal } from "../modules/security/security-alarms";
import { PRESIGNED_MAX_AGE_SECONDS } from "../modules/pipeline/analysis-contract";

/** The container images the platform builds, one repository each. */
export const REPOSITORIES = ["api", "frontend", "analysis"] as const;
export type RepositoryName = (typeof REPOSITORIES)[number];

/** `<env>-data`: keys, buckets, image repositories, the metrics database behind its proxy, the warehouse, zero-ETL. */
export class DataStack extends EnvironmentStack {
  readonly keys: DataKeys;
  readonly buckets: DataBuckets;
  readonly repositories: Readonly<Record<RepositoryName, ContainerRepository>>;
  readonly database: MetricsDatabase;
  readonly proxy: DatabaseProxy;
  readonly warehouse: AnalyticsWarehouse;
  readonly integration: ZeroEtlIntegration;
  /** The warehouse's objects, applied through the Data API at deploy. */
  readonly warehouseSetup: WarehouseSetup;

  constructor(scope: Construct, env: EnvironmentConfig, network: Network, alerts: AlarmDestination) {
    super(scope, "data", env);
    const { postgres, redshift } = env.data;
    const location = { accountId: env.awsAccountId, region: env.region };
    const isolated = { vpcId: network.vpcId, subnetIds: network.isolatedSubnets.ids };

    const customerDataRoles = customerDataRoleArns(env);
    // Terraform reads a bucket with HeadBucket (s3:ListBucket): the plan and deploy roles may list, never read.
    const listers = [identityRoleArn(env, "plan"), identityRoleArn(env, "deploy")];
    this.keys = new DataKeys(this, "keys", {
      namePrefix: this.namePrefix,
      ...location,
      customerDataRoleArns: customerDataRoles,
      preventDestroy: env.protection.preventDestroy,
    });
    this.buckets = new DataBuckets(this, "buckets", {
      namePrefix: this.namePrefix,
      accountId: env.awsAccountId,
      encryptionKey: this.keys.objects,
      customerData: { roleArns: customerDataRoles, listerArns: listers, maxSignatureAgeSeconds: PRESIGNED_MAX_AGE_SECONDS },
      uploadCorsOrigins: [`https://${env.apps.domain}`],
      manifestWriterRoleArn: `arn:aws:iam::${env.awsAccountId}:role/${tenantRoleName(workloadRoleName(env, "api"))}`,
      ...env.data.buckets,
      preventDestroy: env.protection.preventDestroy,
    });
    // Every upload is scanned before an analysis may read it (the identify job's grant asks for the clean tag).
    new UploadScanning(this, "upload-scanning", {
      namePrefix: this.namePrefix,
      ...location,
      bucket: this.buckets.uploads,
      key: this.keys.objects,
      alerts,
    });
    this.repositories = Object.fromEntries(
      REPOSITORIES.map((name) => [
        name,
        new ContainerRepository(this, `repository-${name}`, {
          repositoryName: `${this.namePrefix}/${name}`,
          encryptionKey: this.keys.data,
          keepImages: env.data.ecr.keepImages,
          untaggedExpireDays: env.data.ecr.untaggedExpireDays,
          preventDestroy: env.protection.preventDestroy,
        }),
      ]),
    ) as Record<RepositoryName, ContainerRepository>;

    this.database = new MetricsDatabase(this, "metrics-database", {
      namePrefix: this.namePrefix,
      accountId: env.awsAccountId,
      ...isolated,
      ...postgres,
      deletionProtection: env.protection.deletionProtection,
      finalSnapshot: env.protection.finalSnapshot,
      preventDestroy: env.protection.preventDestroy,
      dataKey: this.keys.data,
      secretsKey: this.keys.secrets,
      logsKey: this.keys.logs,
    });
    this.proxy = new DatabaseProxy(this, "metrics-proxy", {
      namePrefix: this.namePrefix,
      ...location,
      ...isolated,
      database: this.database,
      iamDatabaseUsers: postgres.iamDatabaseUsers,
      masterUsername: postgres.masterUsername,
      secretsKey: this.keys.secrets,
      logsKey: this.keys.logs,
      logRetentionDays: postgres.logRetentionDays,
    });

    this.warehouse = new AnalyticsWarehouse(this, "warehouse", {
      namePrefix: this.namePrefix,
      logDeletionProtection: env.protection.deletionProtection,
      ...location,
      ...isolated,
      ...redshift,
      finalSnapshot: env.protection.finalSnapshot,
      preventDestroy: env.protection.preventDestroy,
      dataKey: this.keys.data,
      secretsKey: this.keys.secrets,
      logsKey: this.keys.logs,
    });
    this.integration = new ZeroEtlIntegration(this, "zero-etl", {
      namePrefix: this.namePrefix,
      accountId: env.awsAccountId,
      source: this.database,
      target: this.warehouse,
      dataKey: this.keys.data,
    });
    // The warehouse's objects (zero-ETL database, dashboard schema and refresh procedure, readers and their grants).
    this.warehouseSetup = new WarehouseSetup(this, "warehouse-setup", {
      namePrefix: this.namePrefix,
      accountId: env.awsAccountId,
      region: env.region,
      warehouse: this.warehouse,
      integration: { arn: this.integration.arn, sourceDatabase: env.data.postgres.databaseName },
      readers: { refresherRoleName: stateMachineRoleName(dashboardRefreshName(this.namePrefix)) },
      logsKey: this.keys.logs,
      logRetentionDays: env.data.redshift.logRetentionDays,
    });

    const { alarms } = env.observability;
    this.database.addAlarms(alerts, {
      cpuPercent: alarms.databaseCpuPercent,
      freeStorageGiB: alarms.databaseFreeStorageGiB,
      connections: alarms.databaseConnections,
      replicationSlotLagMiB: alarms.replicationSlotLagMiB,
    });
    this.proxy.addAlarms(alerts, { availabilityPercent: alarms.proxyAvailabilityPercent });
    new SecurityAlarms(this, "security-alarms", { destination: alerts, logGroupName: this.database.postgresLog.name, signals: [databaseAuthenticationSignal()] });
    this.warehouse.addAlarms(alerts, { diskPercent: alarms.warehouseDiskPercent });
    this.integration.addAlarms(alerts, { lagSeconds: alarms.replicationLagSeconds });

    const outputs: Record<string, [string, string]> = {
      "uploads-bucket": [this.buckets.uploads.name, "Raw uploads (<tenant>/<sample>/<protein-file>) and analysis manifests (manifests/<tenant>/<analysis>/)"],
      "results-bucket": [this.buckets.results.name, "Analysis results"],
      "work-bucket": [this.buckets.work.name, "Batch scratch space"],
      "metrics-proxy-endpoint": [this.proxy.endpoint, "RDS Proxy endpoint (IAM auth, TLS)"],
      "metrics-master-secret-arn": [this.database.masterSecretArn, "RDS-managed master user secret"],
      "warehouse-endpoint": [this.warehouse.endpoint, "Redshift endpoint"],
      "zero-etl-integration-arn": [this.integration.arn, "Zero-ETL integration"],
      ...Object.fromEntries(
        REPOSITORIES.map((name) => [`${name}-repository-url`, [this.repositories[name].url, `ECR repository of the ${name} image`] as [string, string]]),
      ),
    };
    for (const [id, [value, description]] of Object.entries(outputs)) new TerraformOutput(this, id, { value, description });
  }
}
