import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { EnvironmentConfig } from "../environments";
import { Network } from "../modules/network/network";
import { AlertsTopic } from "../modules/observability/alerts-topic";
import { AlarmDestination } from "../modules/observability/threshold-alarm";
import { EnvironmentStack } from "./environment-stack";
import { clusterName } from "./naming";

/**
 * `<env>-network`: the environment's VPC, computed from its CIDR, and its alerts topic (here, in the first layer every
 * other depends on, so that every layer's alarms can notify it).
 */
export class NetworkStack extends EnvironmentStack {
  /** The VPC and everything in it; later stacks read its typed properties. */
  readonly network: Network;
  /** Where every layer's alarms notify. */
  readonly alerts: AlarmDestination;

  constructor(scope: Construct, env: EnvironmentConfig) {
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
      clusterName: clusterName(env),
      preventDestroy: env.protection.preventDestroy,
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

    new TerraformOutput(this, "alerts-topic-arn", { value: topic.arn, description: "SNS topic every alarm notifies" });
    new TerraformOutput(this, "vpc-id", { value: this.network.vpcId, description: "VPC id" });
    new TerraformOutput(this, "private-subnet-ids", { value: this.network.privateSubnets.ids, description: "Private subnets, zone order" });
    new TerraformOutput(this, "isolated-subnet-ids", { value: this.network.isolatedSubnets.ids, description: "Isolated subnets, zone order" });
    new TerraformOutput(this, "public-subnet-ids", { value: this.network.publicSubnets.ids, description: "Public subnets, zone order" });
  }
}
