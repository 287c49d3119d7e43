import { RdsIntegration } from "@cdktf/provider-aws/lib/rds-integration";
import { RedshiftResourcePolicy } from "@cdktf/provider-aws/lib/redshift-resource-policy";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { accountRootArn, policyDocument } from "../iam/policy-document";
import { EncryptionKey } from "../kms/kms-key";
import { Metric } from "../observability/metric";
import { AlarmDestination, ThresholdAlarm } from "../observability/threshold-alarm";
import { AnalyticsWarehouse } from "./analytics-warehouse";
import { zeroEtlEncryptionContext } from "./data-keys";
import { MetricsDatabase } from "./metrics-database";

export interface ZeroEtlIntegrationProps {
  /** Resource name prefix, `<project>-<env>`; the integration is `<prefix>-metrics`. */
  readonly namePrefix: string;
  /** Account that owns both ends. */
  readonly accountId: string;
  /** Source database and target warehouse. */
  readonly source: MetricsDatabase;
  readonly target: AnalyticsWarehouse;
  /** Key of the integration (its policy admits Redshift grants for this integration's encryption context). */
  readonly dataKey: EncryptionKey;
}

/**
 * Zero-ETL replication of the metrics database into the warehouse: the warehouse's resource policy authorizes the
 * database as a source and the account to create the integration, and the integration replicates every schema of
 * the metrics database (a PostgreSQL source needs a filter naming its database).
 */
export class ZeroEtlIntegration extends Construct {
  /** Integration ARN. */
  readonly arn: string;
  /** The data filter in effect. */
  readonly dataFilter: string;

  constructor(scope: Construct, id: string, props: ZeroEtlIntegrationProps) {
    super(scope, id);
    const policy = new RedshiftResourcePolicy(this, "target-policy", {
      resourceArn: props.target.namespaceArn,
      policy: policyDocument([
        {
          Sid: "AuthorizeMetricsDatabase",
          Effect: "Allow",
          Principal: { Service: "redshift.amazonaws.com" },
          Action: "redshift:AuthorizeInboundIntegration",
          Resource: props.target.namespaceArn,
          Condition: { StringEquals: { "aws:SourceArn": props.source.arn } },
        },
        {
          Sid: "AccountCreatesIntegration",
          Effect: "Allow",
          Principal: { AWS: accountRootArn(props.accountId) },
          Action: "redshift:CreateInboundIntegration",
          Resource: props.target.namespaceArn,
        },
      ]),
    });
    this.dataFilter = `include: ${props.source.databaseName}.*.*`;
    const integration = new RdsIntegration(this, "integration", {
      integrationName: `${props.namePrefix}-metrics`,
      sourceArn: props.source.arn,
      targetArn: props.target.namespaceArn,
      kmsKeyId: props.dataKey.arn,
      additionalEncryptionContext: zeroEtlEncryptionContext(props.namePrefix),
      dataFilter: this.dataFilter,
      dependsOn: [policy],
    });
    this.arn = integration.arn;
  }

  /** Alarms on the integration: replication lag, and tables that stopped replicating. */
  addAlarms(destination: AlarmDestination, thresholds: { readonly lagSeconds: number }): void {
    // Published by Redshift per integration id, the last field of the integration's ARN.
    const metric = (metricName: string): Metric => ({
      namespace: "AWS/Redshift",
      metricName,
      dimensions: { IntegrationId: Fn.element(Fn.split(":", this.arn), 6) },
      statistic: "Maximum",
    });
    new ThresholdAlarm(this, "lag-alarm", {
      destination,
      name: "zero-etl-lag",
      description: `Zero-ETL: metrics reach Redshift more than ${thresholds.lagSeconds} s after their commit in RDS, for 15 minutes; dashboards are stale. Check svv_integration and the warehouse's state.`,
      metric: metric("IntegrationLag"),
      comparison: "GreaterThanThreshold",
      threshold: thresholds.lagSeconds,
      evaluationPeriods: 3,
    });
    new ThresholdAlarm(this, "failed-tables-alarm", {
      destination,
      name: "zero-etl-failed-tables",
      description: "Zero-ETL: tables failed to replicate (a table without a primary key, an unsupported type). See svv_integration_table_state for the reason.",
      metric: metric("IntegrationNumTablesFailedReplication"),
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
    });
  }
}
