import { cidrContains, cidrsOverlap, parseCidr } from "../../modules/network/cidr";
import { SubnetPlanError, planSubnets } from "../../modules/network/subnet-plan";

const base = {
  vpcCidr: "10.20.0.0/16",
  availabilityZones: ["sa-east-1a", "sa-east-1b", "sa-east-1c"],
  prefixes: { public: 24, private: 19, isolated: 24 },
  azSlots: 4,
};

describe("subnet plan", () => {
  it("lays out the largest tier first, one aligned block per zone", () => {
    expect(planSubnets(base).map(({ tier, availabilityZone, cidr }) => `${tier} ${availabilityZone} ${cidr}`)).toEqual([
      "public sa-east-1a 10.20.128.0/24",
      "public sa-east-1b 10.20.129.0/24",
      "public sa-east-1c 10.20.130.0/24",
      "private sa-east-1a 10.20.0.0/19",
      "private sa-east-1b 10.20.32.0/19",
      "private sa-east-1c 10.20.64.0/19",
      "isolated sa-east-1a 10.20.132.0/24",
      "isolated sa-east-1b 10.20.133.0/24",
      "isolated sa-east-1c 10.20.134.0/24",
    ]);
  });

  it("keeps every subnet inside the VPC and apart from the others", () => {
    const vpc = parseCidr(base.vpcCidr);
    const subnets = planSubnets({ ...base, prefixes: { public: 26, private: 20, isolated: 25 } }).map((s) => parseCidr(s.cidr));
    for (const [index, subnet] of subnets.entries()) {
      expect(cidrContains(vpc, subnet)).toBe(true);
      for (const other of subnets.slice(index + 1)) expect(cidrsOverlap(subnet, other)).toBe(false);
    }
  });

  it("does not move existing subnets when a zone is added within the reserved slots", () => {
    const twoZones = planSubnets({ ...base, availabilityZones: ["sa-east-1a", "sa-east-1b"] });
    const threeZones = planSubnets(base);
    for (const subnet of twoZones) expect(threeZones).toContainEqual(subnet);
  });

  it("names the tier that does not fit", () => {
    const attempt = () => planSubnets({ ...base, prefixes: { public: 24, private: 18, isolated: 24 } });
    expect(attempt).toThrow(SubnetPlanError);
    expect(attempt).toThrow("4 public subnets of /24 do not fit in 10.20.0.0/16 after the larger tiers");
    try {
      attempt();
    } catch (error) {
      expect((error as SubnetPlanError).tier).toBe("public");
    }
  });

  it("refuses a subnet as large as the VPC", () => {
    expect(() => planSubnets({ ...base, vpcCidr: "10.20.0.0/20" })).toThrow(
      "must be between /21 and /28 for a 10.20.0.0/20 VPC (got /19)",
    );
  });

  it("refuses more zones than slots", () => {
    expect(() => planSubnets({ ...base, azSlots: 2 })).toThrow("3 availability zones need at least as many slots (got 2)");
  });
});
