import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { IamRole, serviceTrust } from "../iam/iam-role";
import { PolicyStatement } from "../iam/policy-document";
import { LogGroup } from "../logging/log-group";
import { AlarmDestination, ThresholdAlarm } from "../observability/threshold-alarm";
import { ATLANTIS_CONTAINER_NAME, DATA_VOLUME, SCRATCH_VOLUMES, atlantisContainerDefinition } from "./atlantis-container";
import { AtlantisFileSystem, ServerAccessPoint } from "./atlantis-file-system";
import { ATLANTIS_PORT, CpuArchitecture } from "./atlantis-image";
import { AtlantisKeys, atlantisLogGroupName, atlantisPrefix } from "./atlantis-keys";
import { AtlantisRoute } from "./atlantis-load-balancer";
import { GitHubAppSecrets } from "./github-app-secrets";

/** One Atlantis server: what differs between the planner and the applier. */
export interface AtlantisServerSpec {
  /**
   * Short id, lower-case letters, digits and single hyphens (e.g. `planner`, `applier`): names its service, roles,
   * secrets, log group, access point and target group (`<namePrefix>-atlantis-<id>`, `<namePrefix>-atl-<id>`).
   */
  readonly id: string;
  /** Host this server answers on (the listener's host-header rule): the domain or one label under it. */
  readonly hostname: string;
  /** Server-side repo config (`ATLANTIS_REPO_CONFIG_JSON`, a plain variable: it holds no secret). */
  readonly repoConfigJson: string;
  /**
   * Other non-secret variables, e.g. `ATLANTIS_DISABLE_AUTOPLAN`, `ATLANTIS_EXECUTABLE_NAME`. Those the construct sets
   * and anything named like a secret are refused. @default none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * The only roles the task role may assume (each environment's plan role for the planner, deploy role for the
   * applier); it may do nothing else.
   */
  readonly assumableRoleArns: readonly string[];
  /** Id of this server's GitHub App (`ATLANTIS_GH_APP_ID`). */
  readonly githubAppId: number;
}

/** Name of a server's task role, `<namePrefix>-atlantis-<serverId>-task`: what the environments' roles trust. */
export function atlantisTaskRoleName(namePrefix: string, serverId: string): string {
  return `${atlantisPrefix(namePrefix)}-${serverId}-task`;
}

/** Name of a server's task execution role, `<namePrefix>-atlantis-<serverId>-execution`. */
export function atlantisExecutionRoleName(namePrefix: string, serverId: string): string {
  return `${atlantisPrefix(namePrefix)}-${serverId}-execution`;
}

export interface AtlantisServerProps {
  /** Resource name prefix, `<project>-<env>`. */
  readonly namePrefix: string;
  /** Account of the service (the roles' trust names it). */
  readonly accountId: string;
  /** Region of the service. */
  readonly region: string;
  /** What this server is. */
  readonly spec: AtlantisServerSpec;
  /** Repositories the server accepts (`ATLANTIS_REPO_ALLOWLIST`). */
  readonly repositoryAllowlist: readonly string[];
  /** ARN of the ECS cluster. */
  readonly clusterArn: string;
  /** Name of the ECS cluster (the running-task alarm's dimension). */
  readonly clusterName: string;
  /** Image, `<repository url>:<tag>`. */
  readonly image: string;
  /** ARN of the image's repository: the execution role pulls from it only. */
  readonly repositoryArn: string;
  /** Fargate CPU units of the task (checked with `memoryMiB` by AtlantisService). */
  readonly cpu: number;
  /** Memory of the task, in MiB. */
  readonly memoryMiB: number;
  /** CPU architecture of the task. */
  readonly cpuArchitecture: CpuArchitecture;
  /** Private subnets of the task. */
  readonly subnetIds: readonly string[];
  /** Security group of the task. */
  readonly securityGroupId: string;
  /** The shared data file system: the server gets its own access point. */
  readonly fileSystem: AtlantisFileSystem;
  /** Keys of the secrets (`secrets`) and of the log group (`logs`). */
  readonly keys: AtlantisKeys;
  /** Days the server's logs are kept. */
  readonly logRetentionDays: number;
  /** The server's route on the load balancer. */
  readonly route: AtlantisRoute;
  /** Seconds the service ignores failing load balancer health checks of a new task. */
  readonly healthCheckGracePeriodSeconds: number;
  /** Adds Terraform `prevent_destroy` to the secrets. */
  readonly preventDestroy: boolean;
  /** CloudWatch Logs deletion protection on the server's log group. */
  readonly deletionProtection: boolean;
}

/**
 * One Atlantis server on Fargate: a service of exactly one task (Atlantis keeps its locks in its data directory, so a
 * deployment stops the old task before starting the new one: maximum 100%, minimum 0%; circuit breaker with
 * rollback; no ECS Exec, which would hand a shell with the task role's credentials to whoever may call it), in the
 * private subnets without public IP, behind its route on the load balancer. Its task role may only assume the
 * given roles; its execution role may only pull the image, write the server's log group and read the server's two
 * secrets. Data directory: its own EFS access point, mounted with TLS and IAM authorization.
 */
export class AtlantisServer extends Construct {
  /** The server's id. */
  readonly serverId: string;
  /** `https://<hostname>`. */
  readonly url: string;
  /** Where the GitHub App delivers webhooks: `https://<hostname>/events`. */
  readonly webhookUrl: string;
  /** The task role: what the environments' plan or deploy roles must trust. */
  readonly taskRole: IamRole;
  /** The task execution role (image pull, logs, secrets). */
  readonly executionRole: IamRole;
  /** The GitHub App's secrets (values put out of band). */
  readonly secrets: GitHubAppSecrets;
  /** The server's access point on the data file system. */
  readonly accessPoint: ServerAccessPoint;
  /** ECS service name. */
  readonly serviceName: string;
  /** Task definition ARN (with revision). */
  readonly taskDefinitionArn: string;
  /** Log group of the container. */
  readonly logGroupName: string;
  /** The route on the load balancer. */
  readonly route: AtlantisRoute;
  private readonly clusterName: string;

  constructor(scope: Construct, id: string, props: AtlantisServerProps) {
    super(scope, id);
    const { spec } = props;
    const name = `${atlantisPrefix(props.namePrefix)}-${spec.id}`;
    this.serverId = spec.id;
    this.url = `https://${spec.hostname}`;
    this.webhookUrl = `${this.url}/events`;
    this.route = props.route;
    this.clusterName = props.clusterName;
    // ECS assumes both roles for tasks of this account only (the ECS developer guide's confused-deputy conditions).
    const ecsTrust = serviceTrust("ecs-tasks.amazonaws.com", props.accountId, `arn:aws:ecs:${props.region}:${props.accountId}:*`);

    this.taskRole = new IamRole(this, "task-role", {
      roleName: atlantisTaskRoleName(props.namePrefix, spec.id),
      description: `Atlantis ${spec.id} server: may only assume the environments' roles it runs Terraform with`,
      trust: [ecsTrust],
      statements: [assumeRolesStatement(spec.assumableRoleArns)],
    });
    this.executionRole = new IamRole(this, "execution-role", {
      roleName: atlantisExecutionRoleName(props.namePrefix, spec.id),
      description: `Starts the Atlantis ${spec.id} server's tasks: pulls the image, writes its logs, reads its GitHub App secrets`,
      trust: [ecsTrust],
    });

    const logGroup = new LogGroup(this, "log-group", {
      name: atlantisLogGroupName(props.namePrefix, spec.id),
      retentionDays: props.logRetentionDays,
      encryptionKey: props.keys.logs,
      deletionProtection: props.deletionProtection,
    });
    this.logGroupName = logGroup.name;
    this.secrets = new GitHubAppSecrets(this, "github-app", {
      namePrefix: props.namePrefix,
      serverId: spec.id,
      region: props.region,
      encryptionKey: props.keys.secrets,
      preventDestroy: props.preventDestroy,
    });
    this.executionRole.addToPolicy(
      // GetAuthorizationToken supports no resource-level permissions.
      { Sid: "EcrAuthorization", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      {
        Sid: "PullAtlantisImage",
        Effect: "Allow",
        Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Resource: props.repositoryArn,
      },
      { Sid: "WriteServerLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroup.arn}:*` },
    );
    this.secrets.grantRead(this.executionRole);

    this.accessPoint = props.fileSystem.addServerAccessPoint(spec.id, this.taskRole.arn);
    const container = atlantisContainerDefinition({
      image: props.image,
      hostname: spec.hostname,
      githubAppId: spec.githubAppId,
      repositoryAllowlist: props.repositoryAllowlist,
      repoConfigJson: spec.repoConfigJson,
      environment: spec.environment ?? {},
      secrets: this.secrets.containerSecrets,
      logGroupName: logGroup.name,
      region: props.region,
      streamPrefix: spec.id,
    });
    const taskDefinition = new EcsTaskDefinition(this, "task-definition", {
      family: name,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(props.cpu),
      memory: String(props.memoryMiB),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: props.cpuArchitecture },
      taskRoleArn: this.taskRole.arn,
      executionRoleArn: this.executionRole.arn,
      containerDefinitions: JSON.stringify([container]),
      volume: [
        {
          name: DATA_VOLUME,
          efsVolumeConfiguration: {
            fileSystemId: props.fileSystem.id,
            transitEncryption: "ENABLED",
            authorizationConfig: { accessPointId: this.accessPoint.id, iam: "ENABLED" },
          },
        },
        ...Object.values(SCRATCH_VOLUMES).map((volume) => ({ name: volume })),
      ],
    });
    this.taskDefinitionArn = taskDefinition.arn;

    const dependencies: ITerraformDependable[] = [...props.route.rules, ...props.fileSystem.mountDependencies, logGroup.resource];
    const service = new EcsService(this, "service", {
      name,
      cluster: props.clusterArn,
      taskDefinition: taskDefinition.arn,
      launchType: "FARGATE",
      platformVersion: "LATEST",
      desiredCount: 1,
      deploymentMaximumPercent: 100,
      deploymentMinimumHealthyPercent: 0,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      // One task: moving it to another zone would stop it mid-apply for nothing.
      availabilityZoneRebalancing: "DISABLED",
      enableExecuteCommand: false,
      healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds,
      networkConfiguration: { subnets: [...props.subnetIds], securityGroups: [props.securityGroupId], assignPublicIp: false },
      loadBalancer: [{ targetGroupArn: props.route.targetGroupArn, containerName: ATLANTIS_CONTAINER_NAME, containerPort: ATLANTIS_PORT }],
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      dependsOn: dependencies,
    });
    // The first task starts as soon as the service exists: its roles must have their permissions by then.
    this.taskRole.grantsBefore(service);
    this.executionRole.grantsBefore(service);
    this.serviceName = service.name;
  }

  /**
   * Alarms of this server: targets failing the load balancer's health check for 5 minutes, and fewer than one
   * running task for 5 minutes (Container Insights).
   */
  addAlarms(destination: AlarmDestination, loadBalancerArnSuffix: string): void {
    new ThresholdAlarm(this, "unhealthy-alarm", {
      destination,
      name: `atlantis-${this.serverId}-unhealthy-targets`,
      description: `The Atlantis ${this.serverId} server fails the load balancer's health check (${this.url}/healthz) for 5 minutes: webhooks and the UI get 502/503. Check the service's events and the task's logs (${this.logGroupName}).`,
      metric: {
        namespace: "AWS/ApplicationELB",
        metricName: "UnHealthyHostCount",
        dimensions: { TargetGroup: this.route.targetGroupArnSuffix, LoadBalancer: loadBalancerArnSuffix },
        statistic: "Maximum",
        periodSeconds: 60,
      },
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 5,
    });
    new ThresholdAlarm(this, "not-running-alarm", {
      destination,
      name: `atlantis-${this.serverId}-not-running`,
      description: `The Atlantis ${this.serverId} server has had no running task for 5 minutes: pull requests get no plan or apply. Check the service's events (a secret without a value, an image that cannot be pulled, a failed EFS mount) and the task's logs (${this.logGroupName}).`,
      metric: {
        namespace: "ECS/ContainerInsights",
        metricName: "RunningTaskCount",
        dimensions: { ClusterName: this.clusterName, ServiceName: this.serviceName },
        statistic: "Minimum",
        periodSeconds: 60,
      },
      comparison: "LessThanThreshold",
      threshold: 1,
      evaluationPeriods: 5,
      // No data means no task reporting: as bad as zero.
      treatMissingData: "breaching",
    });
  }
}

/** The task role's whole policy: `sts:AssumeRole` on the given roles, nothing else. */
export function assumeRolesStatement(roleArns: readonly string[]): PolicyStatement {
  return { Sid: "AssumeEnvironmentRoles", Effect: "Allow", Action: "sts:AssumeRole", Resource: [...roleArns] };
}
