import { Construct } from "constructs";
import { EnvironmentConfig, ToolingConfig } from "../environments";
import { Network } from "../modules/network/network";
import { PeeringAcceptance } from "../modules/network/vpc-peering";
import { EnvironmentStack } from "./environment-stack";
import { peeringName, subnetCidrs } from "./peering";

/**
 * `tooling-peering`: accepts each workload environment's peering request to the tooling VPC and routes the tooling's
 * private subnets (Atlantis) to that environment's private subnets (its EKS control plane's network interfaces).
 * Applied after each environment's network stack has made its request (docs/provisioning.md, Step 0).
 *
 * VPC peering rather than a transit gateway: a handful of VPCs, one hub; peering is not transitive, so dev can never
 * reach prod through the tooling VPC (a transit gateway needs segregated route tables for that), and it has no
 * hourly or per-GB processing charge.
 */
export class ToolingPeeringStack extends EnvironmentStack {
  /** The accepted connection of each workload environment, by environment name. */
  readonly acceptances: Readonly<Record<string, PeeringAcceptance>>;

  constructor(scope: Construct, tooling: ToolingConfig, network: Network, workloads: readonly EnvironmentConfig[]) {
    super(scope, "peering", tooling);
    this.acceptances = Object.fromEntries(
      workloads.map((env) => [
        env.name,
        new PeeringAcceptance(this, `peering-${env.name}`, {
          name: peeringName(tooling, env),
          vpcId: network.vpcId,
          requester: { accountId: env.awsAccountId, vpcCidr: env.network.vpcCidr },
          routeTableIds: Object.values(network.privateRouteTableIds),
          destinationCidrs: subnetCidrs(env, "private"),
        }),
      ]),
    );
  }
}
