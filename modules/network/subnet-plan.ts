import { Ipv4Cidr, cidrSize, formatCidr, parseCidr } from "./cidr";

/** The three subnet tiers (DESIGN.md §3). */
export const SUBNET_TIERS = ["public", "private", "isolated"] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

export interface SubnetPlanInput {
  /** The VPC's block. */
  readonly vpcCidr: string;
  /** Availability zones, in order; zone i gets slot i of every tier. */
  readonly availabilityZones: readonly string[];
  /** Prefix length of one subnet of each tier, e.g. `{ public: 24, private: 19, isolated: 24 }`. */
  readonly prefixes: Readonly<Record<SubnetTier, number>>;
  /** Slots reserved per tier, so zones can be added later without moving a subnet. At least the zone count. */
  readonly azSlots: number;
}

/** One planned subnet. */
export interface PlannedSubnet {
  readonly tier: SubnetTier;
  readonly availabilityZone: string;
  readonly cidr: string;
}

/** A plan that cannot be laid out; `tier` says which tier's setting to change. */
export class SubnetPlanError extends Error {
  constructor(
    readonly tier: SubnetTier,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Lays out the subnets of a VPC. Each tier gets one contiguous range of `azSlots` equal blocks, the tier with the
 * largest blocks first so every block is aligned; zone i uses block i of each tier. Adding a zone (up to
 * `azSlots`) therefore never renumbers an existing subnet. Throws {@link SubnetPlanError} naming the tier that
 * does not fit.
 */
export function planSubnets(input: SubnetPlanInput): PlannedSubnet[] {
  const vpc = parseCidr(input.vpcCidr);
  if (input.availabilityZones.length > input.azSlots) {
    throw new Error(`${input.availabilityZones.length} availability zones need at least as many slots (got ${input.azSlots})`);
  }
  const vpcEnd = vpc.network + cidrSize(vpc);
  const bySize = [...SUBNET_TIERS].sort((a, b) => input.prefixes[a] - input.prefixes[b]);
  let cursor = vpc.network;
  const ranges = new Map<SubnetTier, number>();
  for (const tier of bySize) {
    const prefix = input.prefixes[tier];
    if (prefix <= vpc.prefix || prefix > 28) {
      throw new SubnetPlanError(tier, `must be between /${vpc.prefix + 1} and /28 for a ${formatCidr(vpc)} VPC (got /${prefix})`);
    }
    const blockSize = 2 ** (32 - prefix);
    cursor = Math.ceil(cursor / blockSize) * blockSize;
    if (cursor + blockSize * input.azSlots > vpcEnd) {
      throw new SubnetPlanError(
        tier,
        `${input.azSlots} ${tier} subnets of /${prefix} do not fit in ${formatCidr(vpc)} after the larger tiers; use a smaller subnet, fewer slots or a larger VPC`,
      );
    }
    ranges.set(tier, cursor);
    cursor += blockSize * input.azSlots;
  }
  return SUBNET_TIERS.flatMap((tier) =>
    input.availabilityZones.map((availabilityZone, slot) => {
      const block: Ipv4Cidr = { network: ranges.get(tier)! + slot * 2 ** (32 - input.prefixes[tier]), prefix: input.prefixes[tier] };
      return { tier, availabilityZone, cidr: formatCidr(block) };
    }),
  );
}
