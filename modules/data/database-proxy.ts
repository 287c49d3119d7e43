import { DbProxy } from "@cdktf/provider-aws/lib/db-proxy";
import { DbProxyDefaultTargetGroup } from "@cdktf/provider-aws/lib/db-proxy-default-target-group";
import { DbProxyTarget } from "@cdktf/provider-aws/lib/db-proxy-target";
import { Fn, TerraformLocal } from "cdktf";
import { Construct } from "constructs";
import { Grantable, IamRole, serviceTrust } from "../iam/iam-role";
import { EncryptionKey } from "../kms/kms-key";
import { LogGroup } from "../logging/log-group";
import { SecurityGroup } from "../network/security-group";
import { Metric } from "../observability/metric";
import { AlarmDestination, ThresholdAlarm } from "../observability/threshold-alarm";
import { MetricsDatabase } from "./metrics-database";

export interface DatabaseProxyProps {
  /** Resource name prefix, `<project>-<env>`; the proxy is `<prefix>-metrics`. */
  readonly namePrefix: string;
  /** Account and region (IAM ARNs). */
  readonly accountId: string;
  readonly region: string;
  /** The VPC and the subnets the proxy's network interfaces live in. */
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /** The database behind the proxy. */
  readonly database: MetricsDatabase;
  /** Database users that connect through the proxy with IAM end to end (each must be `GRANT rds_iam`). */
  readonly iamDatabaseUsers: readonly string[];
  /** The master user, connected through the managed secret. */
  readonly masterUsername: string;
  /** Key of the master user secret, which the proxy reads to connect as the master user. */
  readonly secretsKey: EncryptionKey;
  /** Key and retention of the proxy's log group. */
  readonly logsKey: EncryptionKey;
  readonly logRetentionDays: number;
}

/**
 * RDS Proxy in front of the metrics database: pooled connections, TLS required, IAM authentication for every
 * client. Application users are authenticated end to end with IAM (the proxy connects to the database with IAM
 * too, so no application password exists anywhere); the master user, for administration, is connected with the
 * RDS-managed secret. Clients are admitted per security group (`allowClient`) and per database user
 * (`grantConnect`).
 */
export class DatabaseProxy extends Construct {
  /** Endpoint clients connect to (port 5432, TLS). */
  readonly endpoint: string;
  /** Proxy name. */
  readonly name: string;
  /** Proxy ARN. */
  readonly arn: string;
  /** The `prx-...` id, the resource in clients' `rds-db:connect` ARNs. */
  readonly resourceId: string;
  /** Security group of the proxy. */
  readonly securityGroup: SecurityGroup;
  private readonly props: DatabaseProxyProps;

  constructor(scope: Construct, id: string, props: DatabaseProxyProps) {
    super(scope, id);
    this.props = props;
    const name = `${props.namePrefix}-metrics`;
    this.name = name;
    this.securityGroup = new SecurityGroup(this, "security-group", {
      groupName: `${name}-proxy`,
      description: "RDS Proxy of the metrics database: PostgreSQL from registered clients only",
      vpcId: props.vpcId,
    });
    this.securityGroup.allowTo("database", props.database.securityGroup.id, props.database.port, "PostgreSQL to the metrics database");
    props.database.securityGroup.allowFrom("proxy", this.securityGroup.id, props.database.port, "PostgreSQL from the RDS Proxy");

    const role = new IamRole(this, "role", {
      roleName: `${name}-proxy`,
      description: "Lets RDS Proxy connect to the metrics database as the IAM database users",
      trust: [serviceTrust("rds.amazonaws.com", props.accountId)],
      statements: [
        {
          Sid: "ReadMasterUserSecret",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: props.database.masterSecretArn,
        },
        {
          Sid: "DecryptMasterUserSecret",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: props.secretsKey.arn,
          Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${props.region}.amazonaws.com` } },
        },
        {
          Sid: "ConnectAsIamDatabaseUsers",
          Effect: "Allow",
          Action: "rds-db:connect",
          Resource: props.iamDatabaseUsers.map(
            (user) => `arn:aws:rds-db:${props.region}:${props.accountId}:dbuser:${props.database.resourceId}/${user}`,
          ),
        },
      ],
    });
    // RDS Proxy writes to this group; created here so it is encrypted and expires.
    const logGroup = new LogGroup(this, "log-group", {
      name: `/aws/rds/proxy/${name}`,
      retentionDays: props.logRetentionDays,
      encryptionKey: props.logsKey,
    });

    const proxy = new DbProxy(this, "proxy", {
      name,
      engineFamily: "POSTGRESQL",
      defaultAuthScheme: "IAM_AUTH",
      auth: [
        {
          description: "Master user, for administration: IAM token from the client, managed secret to the database",
          authScheme: "SECRETS",
          secretArn: props.database.masterSecretArn,
          iamAuth: "REQUIRED",
          clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256",
        },
      ],
      requireTls: true,
      roleArn: role.arn,
      vpcSubnetIds: [...props.subnetIds],
      vpcSecurityGroupIds: [this.securityGroup.id],
      idleClientTimeout: 1800,
      debugLogging: false,
      dependsOn: [logGroup.resource],
    });
    // The proxy reads the master secret with this role as soon as it is available (target registration, health).
    role.grantsBefore(proxy);
    new DbProxyDefaultTargetGroup(this, "target-group", {
      dbProxyName: proxy.name,
      connectionPoolConfig: { maxConnectionsPercent: 90, maxIdleConnectionsPercent: 50, connectionBorrowTimeout: 120 },
    });
    new DbProxyTarget(this, "target", {
      dbProxyName: proxy.name,
      targetGroupName: "default",
      dbInstanceIdentifier: props.database.instanceIdentifier,
    });
    this.endpoint = proxy.endpoint;
    this.arn = proxy.arn;
    // arn:aws:rds:<region>:<account>:db-proxy:prx-0123456789abcdef0. A local, so that policies that embed it stay
    // parseable JSON (a bare function call would put quotes inside the policy string).
    this.resourceId = new TerraformLocal(this, "resource-id", Fn.element(Fn.split(":", proxy.arn), 6)).asString;
  }

  /**
   * Admits TCP 5432 from members of `clientGroupId` (EKS nodes and pods, Batch instances). The rule is created in
   * `scope`, the client's stack, which depends on this one (creating it here would make a dependency cycle).
   */
  allowClient(scope: Construct, name: string, clientGroupId: string, description: string): void {
    this.securityGroup.allowFrom(name, clientGroupId, this.props.database.port, description, scope);
  }

  /** Lets `grantee` connect through the proxy as `databaseUser` with an IAM token. */
  grantConnect(grantee: Grantable, databaseUser: string): void {
    const users = [...this.props.iamDatabaseUsers, this.props.masterUsername];
    if (!users.includes(databaseUser)) {
      throw new Error(`${databaseUser} is not a database user of the proxy (${users.join(", ")})`);
    }
    grantee.addToPolicy({
      Effect: "Allow",
      Action: "rds-db:connect",
      Resource: `arn:aws:rds-db:${this.props.region}:${this.props.accountId}:dbuser:${this.resourceId}/${databaseUser}`,
    });
  }

  /** A CloudWatch metric of the proxy (`AWS/RDS`, by proxy name). */
  metric(metricName: string, statistic: Metric["statistic"], label?: string): Metric {
    return { namespace: "AWS/RDS", metricName, dimensions: { ProxyName: this.name }, statistic, label };
  }

  /** Alarm on the proxy: its target (the instance) unavailable through it. */
  addAlarms(destination: AlarmDestination, thresholds: { readonly availabilityPercent: number }): void {
    new ThresholdAlarm(this, "availability-alarm", {
      destination,
      name: "metrics-proxy-availability",
      description: `${this.name}: the database is reachable through the proxy less than ${thresholds.availabilityPercent}% of the time. Check the instance's state and the proxy's target health (aws rds describe-db-proxy-targets).`,
      // Published only per target group and role.
      metric: {
        namespace: "AWS/RDS",
        metricName: "AvailabilityPercentage",
        dimensions: { ProxyName: this.name, TargetGroup: "default", TargetRole: "READ_WRITE" },
        statistic: "Average",
        periodSeconds: 60,
      },
      comparison: "LessThanThreshold",
      threshold: thresholds.availabilityPercent,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
  }
}
