import { RedshiftCluster } from "@cdktf/provider-aws/lib/redshift-cluster";
import { RedshiftLogging } from "@cdktf/provider-aws/lib/redshift-logging";
import { RedshiftParameterGroup } from "@cdktf/provider-aws/lib/redshift-parameter-group";
import { RedshiftSubnetGroup } from "@cdktf/provider-aws/lib/redshift-subnet-group";
import { Construct } from "constructs";
import { SESSION_TENANT } from "../tenancy/tenant-session";
import { Grantable } from "../iam/iam-role";
import { EncryptionKey } from "../kms/kms-key";
import { LogGroup } from "../logging/log-group";
import { SecurityGroup } from "../network/security-group";
import { Metric } from "../observability/metric";
import { AlarmDestination, ThresholdAlarm } from "../observability/threshold-alarm";

/** Audit logs sent to CloudWatch: connections, users, and every query run (user activity). */
export const REDSHIFT_AUDIT_LOGS = ["connectionlog", "userlog", "useractivitylog"] as const;

/**
 * Parameters of the warehouse: TLS required, user activity logged, and case-sensitive identifiers, which the
 * zero-ETL integration needs to replicate PostgreSQL's names faithfully.
 */
export const REDSHIFT_PARAMETERS: Readonly<Record<string, string>> = {
  require_ssl: "true",
  enable_user_activity_logging: "true",
  enable_case_sensitive_identifier: "true",
};

export interface AnalyticsWarehouseProps {
  /** Turns on the deletion protection of its audit log group (where the environment requires deletion protection). */
  readonly logDeletionProtection: boolean;

  /** Resource name prefix, `<project>-<env>`; the cluster is `<prefix>-analytics`. */
  readonly namePrefix: string;
  /** Account and region (IAM ARNs). */
  readonly accountId: string;
  readonly region: string;
  /** The VPC and the isolated subnets the cluster lives in. */
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /** RA3 node type and count (zero-ETL needs RA3 with at least two nodes). */
  readonly nodeType: string;
  readonly numberOfNodes: number;
  /** Database created with the cluster. */
  readonly databaseName: string;
  /** Admin user (not the default `awsuser`); its password is managed by Redshift in Secrets Manager. */
  readonly adminUsername: string;
  /** Days of automated snapshots. */
  readonly snapshotRetentionDays: number;
  /** Weekly maintenance window, UTC (`ddd:hh:mm-ddd:hh:mm`). */
  readonly maintenanceWindow: string;
  /** Take a final snapshot on deletion; Terraform `prevent_destroy`. */
  readonly finalSnapshot: boolean;
  readonly preventDestroy: boolean;
  /** Days audit logs are kept. */
  readonly logRetentionDays: number;
  /** Keys: cluster (`data`), admin secret (`secrets`), audit log groups (`logs`). */
  readonly dataKey: EncryptionKey;
  readonly secretsKey: EncryptionKey;
  readonly logsKey: EncryptionKey;
}

/**
 * The Redshift cluster that feeds the dashboard: RA3, encrypted with the data key, not publicly accessible,
 * enhanced VPC routing, TLS required, Redshift-managed admin password, audit logs to encrypted log groups,
 * automated and final snapshots, an IAM role for COPY, and HTTPS to S3 only. Never paused: as the zero-ETL target it
 * must keep consuming the source's replication slot, and a paused cluster cannot be modified by an apply.
 */
export class AnalyticsWarehouse extends Construct {
  /** Cluster identifier, `<prefix>-analytics`. */
  readonly identifier: string;
  /** Cluster ARN. */
  readonly arn: string;
  /** Namespace ARN (the zero-ETL target). */
  readonly namespaceArn: string;
  /** `<host>:<port>` endpoint. */
  readonly endpoint: string;
  /** The cluster's DNS name (the host clients connect to). */
  readonly host: string;
  /** Database name. */
  readonly databaseName: string;
  /** Port. */
  readonly port = 5439;
  /** Security group of the cluster. */
  readonly securityGroup: SecurityGroup;
  /** The admin user's password, managed by Redshift in Secrets Manager (the warehouse setup runs as the admin). */
  readonly adminSecretArn: string;
  private readonly clusterArn: string;
  private readonly location: { readonly region: string; readonly accountId: string };
  private readonly secretsKeyArn: string;

  constructor(scope: Construct, id: string, props: AnalyticsWarehouseProps) {
    super(scope, id);
    this.identifier = `${props.namePrefix}-analytics`;
    this.databaseName = props.databaseName;
    this.location = { region: props.region, accountId: props.accountId };
    this.secretsKeyArn = props.secretsKey.arn;
    this.clusterArn = `arn:aws:redshift:${props.region}:${props.accountId}:cluster:${this.identifier}`;

    const subnetGroup = new RedshiftSubnetGroup(this, "subnet-group", {
      name: this.identifier,
      description: "Isolated subnets of the analytics warehouse",
      subnetIds: [...props.subnetIds],
    });
    const parameterGroup = new RedshiftParameterGroup(this, "parameters", {
      name: this.identifier,
      family: "redshift-2.0",
      description: "Analytics warehouse: TLS only, user activity logging, case-sensitive identifiers for zero-ETL",
      parameter: Object.entries(REDSHIFT_PARAMETERS).map(([name, value]) => ({ name, value })),
    });
    this.securityGroup = new SecurityGroup(this, "security-group", {
      groupName: this.identifier,
      description: "Analytics warehouse: Redshift from registered clients, no egress",
      vpcId: props.vpcId,
    });
    // No egress: nothing runs COPY or UNLOAD (enhanced VPC routing would send them through the VPC), and the cluster
    // has no IAM role, so no user can read the results bucket, or any other, through it.
    const logGroups = REDSHIFT_AUDIT_LOGS.map(
      (log) =>
        new LogGroup(this, `log-${log}`, {
          name: `/aws/redshift/cluster/${this.identifier}/${log}`,
          retentionDays: props.logRetentionDays,
          encryptionKey: props.logsKey,
          logClass: "audit",
          deletionProtection: props.logDeletionProtection,
        }),
    );

    const cluster = new RedshiftCluster(this, "cluster", {
      clusterIdentifier: this.identifier,
      nodeType: props.nodeType,
      clusterType: "multi-node",
      numberOfNodes: props.numberOfNodes,
      databaseName: props.databaseName,
      masterUsername: props.adminUsername,
      manageMasterPassword: true,
      masterPasswordSecretKmsKeyId: props.secretsKey.arn,
      // A string in AWS provider 6 (encryption became the default).
      encrypted: "true",
      kmsKeyId: props.dataKey.arn,
      publiclyAccessible: false,
      enhancedVpcRouting: true,
      port: this.port,
      clusterSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      clusterParameterGroupName: parameterGroup.name,
      automatedSnapshotRetentionPeriod: props.snapshotRetentionDays,
      preferredMaintenanceWindow: props.maintenanceWindow,
      allowVersionUpgrade: true,
      skipFinalSnapshot: !props.finalSnapshot,
      finalSnapshotIdentifier: props.finalSnapshot ? `${this.identifier}-final` : undefined,
      lifecycle: { preventDestroy: props.preventDestroy },
    });
    new RedshiftLogging(this, "audit-logging", {
      clusterIdentifier: cluster.clusterIdentifier,
      logDestinationType: "cloudwatch",
      logExports: [...REDSHIFT_AUDIT_LOGS],
      // Redshift would create the groups itself, unencrypted and kept forever.
      dependsOn: logGroups.map((group) => group.resource),
    });

    this.arn = cluster.arn;
    this.adminSecretArn = cluster.masterPasswordSecretArn;
    this.namespaceArn = cluster.clusterNamespaceArn;
    this.endpoint = cluster.endpoint;
    this.host = cluster.dnsName;
  }

  /**
   * Lets `grantee` query the warehouse's database through the Redshift Data API as its own IAM identity: run
   * statements on this cluster, get temporary credentials for that database only, and read or cancel only the
   * statements it ran: in the same role session by default, or in any session of the role whose unique id is
   * `statementsOfRole` (a state machine, whose calls Step Functions may make in different sessions).
   */
  grantDataApi(grantee: Grantable, options: { readonly database?: string; readonly statementsOfRole?: string } = {}): void {
    const database = options.database ?? this.databaseName;
    grantee.addToPolicy(
      {
        Sid: "RunStatementsOnWarehouse",
        Effect: "Allow",
        Action: ["redshift-data:ExecuteStatement", "redshift-data:BatchExecuteStatement"],
        Resource: this.clusterArn,
      },
      {
        Sid: "WarehouseCredentialsForDatabase",
        Effect: "Allow",
        Action: "redshift:GetClusterCredentialsWithIAM",
        Resource: `arn:aws:redshift:${this.location.region}:${this.location.accountId}:dbname:${this.identifier}/${database}`,
      },
      {
        // These actions support no resource-level permissions; the condition limits them to the caller's statements
        // (`$${...}` is Terraform's escape for the IAM policy variable ${aws:userid}, `<role id>:<session>`).
        Sid: "FollowOwnStatements",
        Effect: "Allow",
        Action: ["redshift-data:DescribeStatement", "redshift-data:GetStatementResult", "redshift-data:CancelStatement", "redshift-data:ListStatements"],
        Resource: "*",
        Condition: options.statementsOfRole
          ? { StringLike: { "redshift-data:statement-owner-iam-userid": `${options.statementsOfRole}:*` } }
          : { StringEquals: { "redshift-data:statement-owner-iam-userid": "$${aws:userid}" } },
      },
    );
  }

  /**
   * Lets `grantee`, a tenant-scoped role, sign in to the warehouse's database as its session's tenant user
   * `<userPrefix>${aws:PrincipalTag/tenant}` only (GetClusterCredentials, created at first sign-in), joining `group`:
   * the user sees the dashboard's rows of that tenant, through row-level security.
   */
  grantTenantSignIn(grantee: Grantable, options: { readonly userPrefix: string; readonly group: string }): void {
    const arn = (type: string, name: string) => `arn:aws:redshift:${this.location.region}:${this.location.accountId}:${type}:${this.identifier}/${name}`;
    grantee.addToPolicy(
      {
        Sid: "SignInAsTheTenantsUser",
        Effect: "Allow",
        Action: ["redshift:GetClusterCredentials", "redshift:CreateClusterUser"],
        Resource: [arn("dbuser", `${options.userPrefix}${SESSION_TENANT}`), arn("dbname", this.databaseName)],
      },
      { Sid: "JoinTheTenantsGroup", Effect: "Allow", Action: "redshift:JoinGroup", Resource: arn("dbgroup", options.group) },
    );
  }

  /**
   * Lets `grantee` run statements on the warehouse through the Data API as its admin user: read the admin's managed
   * secret (decrypted through Secrets Manager only), run statements on this cluster, and follow only its own.
   */
  grantAdminDataApi(grantee: Grantable): void {
    grantee.addToPolicy(
      { Sid: "RunStatementsAsAdmin", Effect: "Allow", Action: "redshift-data:ExecuteStatement", Resource: this.clusterArn },
      { Sid: "ReadAdminSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: this.adminSecretArn },
      {
        Sid: "DecryptAdminSecret",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: this.secretsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${this.location.region}.amazonaws.com` } },
      },
      {
        Sid: "FollowOwnStatements",
        Effect: "Allow",
        Action: "redshift-data:DescribeStatement",
        Resource: "*",
        Condition: { StringEquals: { "redshift-data:statement-owner-iam-userid": "$${aws:userid}" } },
      },
    );
  }

  /** Admits TCP 5439 from members of `clientGroupId`; the rule is created in `scope`, the client's stack. */
  allowClient(scope: Construct, name: string, clientGroupId: string, description: string): void {
    this.securityGroup.allowFrom(name, clientGroupId, this.port, description, scope);
  }

  /** A CloudWatch metric of the cluster (`AWS/Redshift`). */
  metric(metricName: string, statistic: Metric["statistic"], label?: string): Metric {
    return { namespace: "AWS/Redshift", metricName, dimensions: { ClusterIdentifier: this.identifier }, statistic, label };
  }

  /** Alarms on the cluster: unhealthy, and disk filling. */
  addAlarms(destination: AlarmDestination, thresholds: { readonly diskPercent: number }): void {
    new ThresholdAlarm(this, "health-alarm", {
      destination,
      name: "warehouse-health",
      description: `${this.identifier}: unhealthy (HealthStatus 0) for 3 of the last 5 minutes; the dashboard and the zero-ETL replication stop. Check the cluster's events.`,
      metric: { ...this.metric("HealthStatus", "Minimum"), periodSeconds: 60 },
      comparison: "LessThanThreshold",
      threshold: 1,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
    new ThresholdAlarm(this, "disk-alarm", {
      destination,
      name: "warehouse-disk",
      description: `${this.identifier}: more than ${thresholds.diskPercent}% of its storage used. Vacuum, delete data no dashboard needs, or add nodes in config.`,
      metric: this.metric("PercentageDiskSpaceUsed", "Maximum"),
      comparison: "GreaterThanThreshold",
      threshold: thresholds.diskPercent,
    });
  }
}
