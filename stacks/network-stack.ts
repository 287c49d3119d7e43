import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { AnyEnvironmentConfig, ToolingConfig } from "../environments";
import { Network } from "../modules/network/network";
import { PeeringRequest } from "../modules/network/vpc-peering";
import { AlertsTopic } from "../modules/observability/alerts-topic";
import { AlarmDestination } from "../modules/observability/threshold-alarm";
import { EnvironmentStack } from "./environment-stack";
import { clusterName } from "./naming";
import { atlantisSubnetCidrs, peeringName } from "./peering";

/**
 * `<env>-network`: the environment's VPC, computed from its CIDR, and its alerts topic (here, in the first layer every
 * other depends on, so that every layer's alarms can notify it). A workload environment's also requests the peering
 * connection to the tooling VPC (once the tooling configuration names it) and routes Atlantis's subnets through it.
 */
export class NetworkStack extends EnvironmentStack {
  /** The VPC and everything in it; later stacks read its typed properties. */
  readonly network: Network;
  /** Where every layer's alarms notify. */
  readonly alerts: AlarmDestination;
  /** The peering request to the tooling VPC. @default none (tooling environment, or tooling VPC not built yet) */
  readonly toolingPeering?: PeeringRequest;

  /**
   * @param tooling the tooling environment, for a workload environment's peering request
   * @param readAccounts other accounts whose buckets and tables the VPC must reach through its gateway endpoints (the
   * tooling VPC's: every workload environment's, for their Terraform state) @default none
   */
  constructor(scope: Construct, env: AnyEnvironmentConfig, tooling?: ToolingConfig, readAccounts: readonly string[] = []) {
    super(scope, "network", env);
    this.network = new Network(this, "network", {
      namePrefix: this.namePrefix,
      accountId: env.awsAccountId,
      region: env.region,
      vpcCidr: env.network.vpcCidr,
      availabilityZones: env.network.availabilityZones,
      azSlots: env.network.azSlots,
      subnetPrefixes: env.network.subnetPrefixes,
      natGateways: env.network.natGateways,
      interfaceEndpoints: env.network.interfaceEndpoints,
      flowLogRetentionDays: env.network.flowLogRetentionDays,
      clusterName: env.kind === "workload" ? clusterName(env) : undefined,
      preventDestroy: env.protection.preventDestroy,
      logDeletionProtection: env.protection.deletionProtection,
      readAccounts,
    });
    const topic = new AlertsTopic(this, "alerts", {
      namePrefix: this.namePrefix,
      accountId: env.awsAccountId,
      region: env.region,
      emails: env.observability.alertEmails,
      preventDestroy: env.protection.preventDestroy,
    });
    this.alerts = { topicArn: topic.arn, namePrefix: this.namePrefix };
    this.network.addAlarms(this.alerts, { portAllocationErrors: env.observability.alarms.natPortAllocationErrors });

    if (env.kind === "workload" && tooling?.network.vpcId) {
      this.toolingPeering = new PeeringRequest(this, "tooling-peering", {
        name: peeringName(env, tooling),
        vpcId: this.network.vpcId,
        peer: { accountId: tooling.awsAccountId, region: tooling.region, vpcId: tooling.network.vpcId },
        routeTableIds: Object.values(this.network.privateRouteTableIds),
        destinationCidrs: atlantisSubnetCidrs(tooling),
      });
      new TerraformOutput(this, "tooling-peering-id", { value: this.toolingPeering.connectionId, description: "Peering connection to the tooling VPC" });
    }

    new TerraformOutput(this, "alerts-topic-arn", { value: topic.arn, description: "SNS topic every alarm notifies" });
    new TerraformOutput(this, "vpc-id", { value: this.network.vpcId, description: "VPC id" });
    new TerraformOutput(this, "private-subnet-ids", { value: this.network.privateSubnets.ids, description: "Private subnets, zone order" });
    new TerraformOutput(this, "isolated-subnet-ids", { value: this.network.isolatedSubnets.ids, description: "Isolated subnets, zone order" });
    new TerraformOutput(this, "public-subnet-ids", { value: this.network.publicSubnets.ids, description: "Public subnets, zone order" });
  }
}
