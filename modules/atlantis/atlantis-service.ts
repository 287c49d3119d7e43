import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { Construct } from "constructs";
import { ContainerRepository } from "../data/container-repository";
import { SecurityGroup } from "../network/security-group";
import { AlarmDestination } from "../observability/threshold-alarm";
import { SecureBucket } from "../storage/secure-bucket";
import { AtlantisFileSystem, NFS_PORT } from "./atlantis-file-system";
import { ATLANTIS_PORT, CpuArchitecture, IMAGE_PLATFORMS } from "./atlantis-image";
import { AtlantisKeys, atlantisPrefix } from "./atlantis-keys";
import { AtlantisLoadBalancer } from "./atlantis-load-balancer";
import { AtlantisServer, AtlantisServerSpec } from "./atlantis-server";
import { fargateSizeProblem } from "./fargate-size";
import { chunks, sourceRanges } from "./source-ranges";
import { TaskStoppedAlert } from "./task-stopped-alert";

/** Rules an ALB listener holds besides its default rule (ELB quota "rules per Application Load Balancer"). */
export const MAX_LISTENER_RULES = 100;
/** Inbound rules per security group (VPC quota): the load balancer's group has one per source range. */
export const MAX_SOURCE_RANGES = 60;
/** Smallest and largest per-IP limit WAF accepts in a rate-based rule, per 5 minutes. */
export const WAF_RATE_LIMIT_RANGE = { min: 10, max: 2_000_000_000 } as const;

const SERVER_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export interface AtlantisServiceProps {
  /** Resource name prefix, `<project>-<env>`: resources are `<namePrefix>-atlantis[-<server id>]`. */
  readonly namePrefix: string;
  /** Account of the tooling stack. */
  readonly accountId: string;
  /** Region of the tooling stack. */
  readonly region: string;
  /** The VPC. */
  readonly vpcId: string;
  /** Private subnets, in zone order: the tasks and one EFS mount target in each. */
  readonly privateSubnetIds: readonly string[];
  /** Public subnets, in zone order (at least two): the load balancer. */
  readonly publicSubnetIds: readonly string[];
  /**
   * Tag of the server image in the construct's ECR repository `<namePrefix>/atlantis` (tags are immutable: one tag,
   * one build of atlantis-server/Dockerfile); the task definitions run `<repository url>:<imageTag>`.
   */
  readonly imageTag: string;
  /** Fargate CPU units of each server's task, with `memoryMiB` one of Fargate's combinations (checked). */
  readonly cpu: number;
  /** Memory of each server's task, in MiB. */
  readonly memoryMiB: number;
  /** CPU architecture of the tasks; the image must be built for it (see IMAGE_PLATFORMS). @default "ARM64" (Graviton) */
  readonly cpuArchitecture?: CpuArchitecture;
  /** Domain of the certificate (which also covers `*.<domain>`); every server hostname is it or one label under it. */
  readonly domain: string;
  /** Route 53 zone of the domain: the certificate's validation and the hostnames' alias records. @default none (by hand) */
  readonly hostedZoneId?: string;
  /** GitHub's webhook source ranges (the `hooks` of GET https://api.github.com/meta), IPv4: they may POST /events. */
  readonly webhookCidrs: readonly string[];
  /** Operator networks, IPv4: they may reach the UI of every server. @default none (no UI access) */
  readonly uiCidrs?: readonly string[];
  /** Repositories the servers accept (`ATLANTIS_REPO_ALLOWLIST`), e.g. `github.com/<org>/<repo>`. */
  readonly repositoryAllowlist: readonly string[];
  /** Days the servers' logs, the load balancer's access logs and the firewall's logs are kept. */
  readonly logRetentionDays: number;
  /** The alerts topic the alarms and the task-stopped rule notify. */
  readonly alerts: AlarmDestination;
  /** Bucket that receives the load balancer log bucket's own S3 server access logs. */
  readonly accessLogs: SecureBucket;
  /** Adds Terraform `prevent_destroy` to the keys, repository, file system, secrets and log bucket. */
  readonly preventDestroy: boolean;
  /** Deletion protection of the load balancer and of the log groups. @default preventDestroy */
  readonly deletionProtection?: boolean;
  /** Requests one IP may make per 5 minutes before the web ACL blocks it. */
  readonly wafRateLimit: number;
  /** Seconds a new task's failing health checks are ignored. @default 120 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** The servers, e.g. a planner and an applier; they share the cluster, image, load balancer and file system. */
  readonly servers: readonly AtlantisServerSpec[];
}

/**
 * Atlantis on ECS Fargate: one server per spec (typically a planner, whose task role may only assume the
 * environments' plan roles, and an applier, whose task role may only assume their deploy roles), from one image in
 * an ECR repository of the construct, in one cluster with Container Insights, behind one internet-facing ALB with
 * WAF that admits GitHub's webhooks and the operators only, each with its own data directory on one encrypted EFS
 * file system, its own GitHub App secrets and its own roles; alarms and a task-stopped alert to the alerts topic.
 * Every input is checked: a wrong one throws an Error that names the field before anything is synthesized.
 */
export class AtlantisService extends Construct {
  /** The image repository (`<namePrefix>/atlantis`): push atlantis-server/Dockerfile builds here. */
  readonly repository: ContainerRepository;
  /** The image every server runs, `<repository url>:<imageTag>`. */
  readonly image: string;
  /** `docker build --platform` value matching the tasks' architecture. */
  readonly imagePlatform: string;
  /** ECS cluster name and ARN. */
  readonly clusterName: string;
  readonly clusterArn: string;
  /** The load balancer (DNS name, certificate validation record, web ACL). */
  readonly loadBalancer: AtlantisLoadBalancer;
  /** The data file system. */
  readonly fileSystem: AtlantisFileSystem;
  /** Security group of the tasks. */
  readonly tasksSecurityGroupId: string;
  /** The keys. */
  readonly keys: AtlantisKeys;
  /** The servers, in the order of `servers`. */
  readonly servers: readonly AtlantisServer[];

  constructor(scope: Construct, id: string, props: AtlantisServiceProps) {
    super(scope, id);
    const checked = checkProps(props);
    const prefix = atlantisPrefix(props.namePrefix);
    const deletionProtection = props.deletionProtection ?? props.preventDestroy;

    this.keys = new AtlantisKeys(this, "keys", { namePrefix: props.namePrefix, accountId: props.accountId, region: props.region, preventDestroy: props.preventDestroy });
    this.repository = new ContainerRepository(this, "repository", {
      repositoryName: `${props.namePrefix}/atlantis`,
      encryptionKey: this.keys.images,
      keepImages: 20,
      untaggedExpireDays: 7,
      preventDestroy: props.preventDestroy,
    });
    this.image = `${this.repository.url}:${props.imageTag}`;
    const cpuArchitecture = props.cpuArchitecture ?? "ARM64";
    this.imagePlatform = IMAGE_PLATFORMS[cpuArchitecture];

    const cluster = new EcsCluster(this, "cluster", { name: prefix, setting: [{ name: "containerInsights", value: "enabled" }] });
    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;

    const tasks = new SecurityGroup(this, "tasks-security-group", {
      groupName: `${prefix}-tasks`,
      description: "Atlantis tasks: the load balancer in; HTTPS out (GitHub, AWS APIs, registries) and NFS to the data directories",
      vpcId: props.vpcId,
    });
    this.tasksSecurityGroupId = tasks.id;
    this.fileSystem = new AtlantisFileSystem(this, "data", {
      namePrefix: props.namePrefix,
      vpcId: props.vpcId,
      subnetIds: props.privateSubnetIds,
      encryptionKey: this.keys.data,
      clientSecurityGroupId: tasks.id,
      preventDestroy: props.preventDestroy,
    });
    this.loadBalancer = new AtlantisLoadBalancer(this, "load-balancer", {
      namePrefix: props.namePrefix,
      accountId: props.accountId,
      region: props.region,
      vpcId: props.vpcId,
      subnetIds: props.publicSubnetIds,
      domain: props.domain,
      hostedZoneId: props.hostedZoneId,
      webhookCidrs: checked.webhookCidrs,
      uiCidrs: checked.uiCidrs,
      accessLogs: props.accessLogs,
      logsKey: this.keys.logs,
      logRetentionDays: props.logRetentionDays,
      wafRateLimit: props.wafRateLimit,
      deletionProtection,
      preventDestroy: props.preventDestroy,
    });
    tasks.allowFrom("load-balancer", this.loadBalancer.securityGroup.id, ATLANTIS_PORT, "Atlantis from its load balancer (webhooks, UI, health checks)");
    tasks.allowTo("data", this.fileSystem.securityGroupId, NFS_PORT, "NFS to the Atlantis data directories (EFS mount targets)");
    tasks.allowToCidr("https", "0.0.0.0/0", 443, "HTTPS to GitHub, the AWS APIs (STS, the environments' endpoints) and the npm and Terraform registries");
    this.loadBalancer.securityGroup.allowTo("atlantis-tasks", tasks.id, ATLANTIS_PORT, "Atlantis tasks (forwarded requests and health checks)");

    this.servers = props.servers.map(
      (spec) =>
        new AtlantisServer(this, spec.id, {
          namePrefix: props.namePrefix,
          accountId: props.accountId,
          region: props.region,
          spec,
          repositoryAllowlist: props.repositoryAllowlist,
          clusterArn: cluster.arn,
          clusterName: cluster.name,
          image: this.image,
          repositoryArn: this.repository.arn,
          cpu: props.cpu,
          memoryMiB: props.memoryMiB,
          cpuArchitecture,
          subnetIds: props.privateSubnetIds,
          securityGroupId: tasks.id,
          fileSystem: this.fileSystem,
          keys: this.keys,
          logRetentionDays: props.logRetentionDays,
          route: this.loadBalancer.addServer(spec.id, spec.hostname),
          healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds ?? 120,
          preventDestroy: props.preventDestroy,
          deletionProtection,
        }),
    );
    for (const server of this.servers) server.addAlarms(props.alerts, this.loadBalancer.arnSuffix);
    new TaskStoppedAlert(this, "task-stopped", { destination: props.alerts, clusterArn: cluster.arn });
  }
}

/** Checks every input; returns the normalized source ranges. Throws an Error naming the field and the rule. */
function checkProps(props: AtlantisServiceProps): { webhookCidrs: string[]; uiCidrs: string[] } {
  const sizeProblem = fargateSizeProblem(props.cpu, props.memoryMiB);
  if (sizeProblem) throw new Error(`Atlantis: cpu/memoryMiB: ${sizeProblem}`);
  const webhookCidrs = sourceRanges("webhookCidrs", props.webhookCidrs, true);
  const uiCidrs = sourceRanges("uiCidrs", props.uiCidrs ?? [], false);
  if (new Set([...webhookCidrs, ...uiCidrs]).size > MAX_SOURCE_RANGES) {
    throw new Error(`Atlantis: webhookCidrs and uiCidrs together list more than ${MAX_SOURCE_RANGES} ranges, the inbound rules of one security group`);
  }
  if (!(props.wafRateLimit >= WAF_RATE_LIMIT_RANGE.min && props.wafRateLimit <= WAF_RATE_LIMIT_RANGE.max && Number.isInteger(props.wafRateLimit))) {
    throw new Error(`Atlantis: wafRateLimit must be an integer from ${WAF_RATE_LIMIT_RANGE.min} to ${WAF_RATE_LIMIT_RANGE.max} (got ${props.wafRateLimit})`);
  }
  if (props.privateSubnetIds.length === 0) throw new Error("Atlantis: privateSubnetIds must name at least one subnet");
  if (props.repositoryAllowlist.length === 0 || props.repositoryAllowlist.some((entry) => entry.trim() === "*" || entry.trim() === "")) {
    throw new Error('Atlantis: repositoryAllowlist must name the repositories the servers serve (no empty list, no bare "*")');
  }
  if (!/^[\w.-]{1,128}$/.test(props.imageTag) || props.imageTag === "latest") {
    throw new Error(`Atlantis: imageTag "${props.imageTag}" must be a build's own tag (letters, digits, ._-, at most 128, not "latest")`);
  }
  if (!HOSTNAME.test(props.domain)) throw new Error(`Atlantis: domain "${props.domain}" is not a lower-case DNS name`);
  if (props.servers.length === 0) throw new Error("Atlantis: servers must list at least one server");

  const ids = new Set<string>();
  const hostnames = new Set<string>();
  for (const spec of props.servers) {
    const where = `servers[${spec.id}]`;
    if (!SERVER_ID.test(spec.id) || spec.id.length > 16) {
      throw new Error(`Atlantis: ${where}.id must be 1 to 16 lower-case letters, digits and single hyphens, starting with a letter`);
    }
    if (ids.has(spec.id)) throw new Error(`Atlantis: ${where}.id is used twice`);
    ids.add(spec.id);
    if (hostnames.has(spec.hostname)) throw new Error(`Atlantis: ${where}.hostname ${spec.hostname} is used by another server`);
    hostnames.add(spec.hostname);
    const label = spec.hostname.endsWith(`.${props.domain}`) ? spec.hostname.slice(0, -props.domain.length - 1) : undefined;
    if (!HOSTNAME.test(spec.hostname) || (spec.hostname !== props.domain && (label === undefined || label.includes(".")))) {
      throw new Error(`Atlantis: ${where}.hostname ${spec.hostname} must be ${props.domain} or one label under it (the certificate covers ${props.domain} and *.${props.domain})`);
    }
    if (spec.assumableRoleArns.length === 0) throw new Error(`Atlantis: ${where}.assumableRoleArns must name the roles the server runs Terraform with`);
    const badRole = spec.assumableRoleArns.find((arn) => !ROLE_ARN.test(arn));
    if (badRole) throw new Error(`Atlantis: ${where}.assumableRoleArns: "${badRole}" is not an IAM role ARN (no wildcards)`);
    if (!Number.isInteger(spec.githubAppId) || spec.githubAppId <= 0) throw new Error(`Atlantis: ${where}.githubAppId must be the App's numeric id`);
  }
  const rules = props.servers.length * (chunks(webhookCidrs, 2).length + chunks(uiCidrs, 3).length);
  if (rules > MAX_LISTENER_RULES) {
    throw new Error(`Atlantis: ${props.servers.length} servers with these source ranges need ${rules} listener rules; an ALB holds ${MAX_LISTENER_RULES}`);
  }
  return { webhookCidrs, uiCidrs };
}
