import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { EnvironmentConfig, ToolingConfig } from "../environments";
import { AtlantisService } from "../modules/atlantis/atlantis-service";
import { ATLANTIS_REPOSITORY, ATLANTIS_SERVERS, AtlantisServer, SERVER_ROLE, atlantisServerConfig, serverFlags } from "../modules/delivery/atlantis-server-config";
import { Network } from "../modules/network/network";
import { AlarmDestination } from "../modules/observability/threshold-alarm";
import { AccessLogBucket } from "../modules/storage/access-log-bucket";
import { EnvironmentStack } from "./environment-stack";
import { identityRoleArn } from "./naming";

/** Host name of each server: the planner at the configured domain, the applier one label under it. */
export function atlantisHostname(tooling: ToolingConfig, server: AtlantisServer): string {
  return server === "planner" ? tooling.atlantis.domain : `deploy.${tooling.atlantis.domain}`;
}

/**
 * `tooling-atlantis`: the planner and applier Atlantis servers on ECS Fargate (image in ECR, data on EFS, GitHub App
 * secrets in Secrets Manager, behind an ALB with WAF that admits GitHub's hooks and the operators' networks). The
 * planner's task may assume every workload environment's plan role, the applier's every deploy role; nothing else.
 */
export class AtlantisStack extends EnvironmentStack {
  /** The servers, their load balancer, file system and image repository. */
  readonly service: AtlantisService;

  constructor(scope: Construct, tooling: ToolingConfig, network: Network, alerts: AlarmDestination, workloads: readonly EnvironmentConfig[]) {
    super(scope, "atlantis", tooling);
    const accessLogs = new AccessLogBucket(this, "access-logs", {
      bucketName: `${this.namePrefix}-atlantis-access-logs-${tooling.awsAccountId}`,
      accountId: tooling.awsAccountId,
      sourceBucketPattern: `${this.namePrefix}-atlantis-alb-logs-*`,
      retentionDays: tooling.atlantis.logRetentionDays,
      preventDestroy: tooling.protection.preventDestroy,
    });
    this.service = new AtlantisService(this, "atlantis", {
      namePrefix: this.namePrefix,
      accountId: tooling.awsAccountId,
      region: tooling.region,
      vpcId: network.vpcId,
      privateSubnetIds: network.privateSubnets.ids,
      publicSubnetIds: network.publicSubnets.ids,
      imageTag: tooling.atlantis.imageTag,
      cpu: tooling.atlantis.cpu,
      memoryMiB: tooling.atlantis.memoryMiB,
      domain: tooling.atlantis.domain,
      hostedZoneId: tooling.atlantis.hostedZoneId,
      webhookCidrs: tooling.atlantis.webhookCidrs,
      uiCidrs: tooling.atlantis.uiCidrs,
      repositoryAllowlist: [ATLANTIS_REPOSITORY],
      logRetentionDays: tooling.atlantis.logRetentionDays,
      alerts,
      accessLogs,
      preventDestroy: tooling.protection.preventDestroy,
      deletionProtection: tooling.protection.deletionProtection,
      wafRateLimit: tooling.atlantis.wafRateLimit,
      servers: ATLANTIS_SERVERS.map((server) => ({
        id: server,
        hostname: atlantisHostname(tooling, server),
        repoConfigJson: JSON.stringify(atlantisServerConfig(server)),
        environment: serverFlags(server, tooling.atlantis.deployTeam),
        assumableRoleArns: workloads.map((env) => identityRoleArn(env, SERVER_ROLE[server])),
        githubAppId: tooling.atlantis.githubAppIds[server],
      })),
    });

    const { service } = this;
    const outputs: Record<string, [string, string]> = {
      "image-repository-url": [service.repository.url, "Push atlantis-server/Dockerfile builds here (immutable tags; the tag is atlantis.imageTag)"],
      "ecs-cluster-name": [service.clusterName, "ECS cluster of the Atlantis services"],
      "load-balancer-dns-name": [service.loadBalancer.dnsName, "Target of the servers' DNS names (alias or CNAME) when no hosted zone is configured"],
      "certificate-validation-record": [
        `${service.loadBalancer.certificate.validationRecord.name} ${service.loadBalancer.certificate.validationRecord.type} ${service.loadBalancer.certificate.validationRecord.value}`,
        "DNS record that validates the certificate (created by hand when no hosted zone is configured)",
      ],
    };
    for (const server of service.servers) {
      outputs[`${server.serverId}-url`] = [server.url, `URL of the ${server.serverId} (its GitHub App's webhook is <url>/events)`];
      outputs[`${server.serverId}-put-secret-commands`] = [server.secrets.putValueCommands.join(" && "), `Put the ${server.serverId}'s GitHub App key and webhook secret (once, then force a new deployment)`];
    }
    for (const [name, [value, description]] of Object.entries(outputs)) new TerraformOutput(this, name, { value, description });
  }
}
