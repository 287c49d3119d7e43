import { AnyEnvironmentConfig, ToolingConfig } from "../environments";
import { SubnetTier, planSubnets } from "../modules/network/subnet-plan";

/** The CIDRs of one tier of an environment's subnets, from its configuration (the same plan its network stack builds). */
export function subnetCidrs(env: AnyEnvironmentConfig, tier: SubnetTier): string[] {
  return planSubnets({
    vpcCidr: env.network.vpcCidr,
    availabilityZones: env.network.availabilityZones,
    prefixes: env.network.subnetPrefixes,
    azSlots: env.network.azSlots,
  })
    .filter((subnet) => subnet.tier === tier)
    .map((subnet) => subnet.cidr);
}

/**
 * Where Atlantis runs: the tooling VPC's private subnets. The only networks outside a workload environment's VPC its
 * EKS control plane admits, and the only ones its route tables send to the peering connection.
 */
export function atlantisSubnetCidrs(tooling: ToolingConfig): string[] {
  return subnetCidrs(tooling, "private");
}

/** Name of the peering connection between an environment and the tooling VPC, on the given side. */
export function peeringName(from: AnyEnvironmentConfig, to: AnyEnvironmentConfig): string {
  return `${from.project}-${from.name}-to-${to.name}`;
}
