import { DefaultNetworkAcl } from "@cdktf/provider-aws/lib/default-network-acl";
import { DefaultRouteTable } from "@cdktf/provider-aws/lib/default-route-table";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Construct } from "constructs";
import { cloudWatchLogsKeyStatement } from "../kms/key-statements";
import { EncryptionKey } from "../kms/kms-key";
import { AlarmDestination, ThresholdAlarm } from "../observability/threshold-alarm";
import { VpcFlowLogs } from "./flow-logs";
import { PlannedSubnet, SubnetTier, planSubnets } from "./subnet-plan";
import { VpcEndpoints } from "./vpc-endpoints";

/** One NAT gateway per zone (each private route table uses its own zone's), or one for the whole VPC. */
export type NatStrategy = "perAz" | "single";

export interface NetworkProps {
  /** Resource name prefix, `<project>-<env>`. */
  readonly namePrefix: string;
  /** Account and region of the VPC. */
  readonly accountId: string;
  readonly region: string;
  /** The VPC's IPv4 block; every subnet is computed from it. */
  readonly vpcCidr: string;
  /** Availability zones, in order (zone i uses subnet slot i of every tier). */
  readonly availabilityZones: readonly string[];
  /** Subnet slots reserved per tier (zones that can be added without renumbering). */
  readonly azSlots: number;
  /** Prefix length of one subnet of each tier. */
  readonly subnetPrefixes: Readonly<Record<SubnetTier, number>>;
  /** NAT gateway layout. */
  readonly natGateways: NatStrategy;
  /** Services reached through interface endpoints, e.g. `ecr.api`. */
  /**
   * Other accounts whose buckets and tables the VPC reaches through its gateway endpoints (the tooling VPC: every
   * environment's state). @default none: this account's only
   */
  readonly readAccounts?: readonly string[];
  readonly interfaceEndpoints: readonly string[];
  /** Days flow logs are kept. */
  readonly flowLogRetentionDays: number;
  /** EKS cluster whose Karpenter discovers the private subnets (`karpenter.sh/discovery`). @default none (no cluster) */
  readonly clusterName?: string;
  /** Adds Terraform `prevent_destroy` to the flow log key. @default true */
  readonly preventDestroy?: boolean;
  /** Turns on the flow log group's deletion protection (where the environment requires deletion protection). @default false */
  readonly logDeletionProtection?: boolean;
}

/** Ids of one tier's subnets, and the same by availability zone. */
export interface TierSubnets {
  /** Subnet ids in zone order. */
  readonly ids: string[];
  /** Subnet id by availability zone. */
  readonly byAz: Readonly<Record<string, string>>;
}

/**
 * A VPC computed from one CIDR: public, private and isolated subnets in every zone, an internet gateway, NAT
 * gateways per the strategy, S3/DynamoDB gateway endpoints and interface endpoints, flow logs of all traffic to a
 * KMS-encrypted log group, and the VPC's defaults (security group, network ACL, main route table) adopted.
 * Isolated subnets have no route out of the VPC.
 */
export class Network extends Construct {
  /** VPC id. */
  readonly vpcId: string;
  /** VPC CIDR, as configured. */
  readonly vpcCidr: string;
  /** The subnet layout this network was built from. */
  readonly plan: readonly PlannedSubnet[];
  /** Public subnets (ALBs, NAT gateways). */
  readonly publicSubnets: TierSubnets;
  /** Private subnets (EKS nodes and pods, Batch instances). */
  readonly privateSubnets: TierSubnets;
  /** Isolated subnets (RDS, Redshift). */
  readonly isolatedSubnets: TierSubnets;
  /** Route table of the public subnets. */
  readonly publicRouteTableId: string;
  /** Private route table id by availability zone. */
  readonly privateRouteTableIds: Readonly<Record<string, string>>;
  /** Route table of the isolated subnets. */
  readonly isolatedRouteTableId: string;
  /** NAT gateway ids, in zone order. */
  readonly natGatewayIds: string[];
  /** NAT gateway ids by zone. */
  readonly natGatewaysByZone: Readonly<Record<string, string>>;
  /** Security group of the interface endpoints. */
  readonly endpointSecurityGroupId: string;
  /** S3's managed prefix list, for security group rules to S3 through the gateway endpoint. */
  readonly s3PrefixListId: string;
  /** Flow log group name. */
  readonly flowLogGroupName: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const name = (suffix: string) => ({ Name: `${props.namePrefix}-${suffix}` });
    this.vpcCidr = props.vpcCidr;
    this.plan = planSubnets({
      vpcCidr: props.vpcCidr,
      availabilityZones: props.availabilityZones,
      prefixes: props.subnetPrefixes,
      azSlots: props.azSlots,
    });

    const vpc = new Vpc(this, "vpc", {
      cidrBlock: props.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: name("vpc"),
    });
    this.vpcId = vpc.id;

    const tierTags: Record<SubnetTier, Record<string, string>> = {
      public: props.clusterName ? { "kubernetes.io/role/elb": "1" } : {},
      private: props.clusterName ? { "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": props.clusterName } : {},
      isolated: {},
    };
    const subnets = new Map<string, Subnet>();
    for (const planned of this.plan) {
      subnets.set(
        `${planned.tier}/${planned.availabilityZone}`,
        new Subnet(this, `${planned.tier}-${planned.availabilityZone}`, {
          vpcId: vpc.id,
          availabilityZone: planned.availabilityZone,
          cidrBlock: planned.cidr,
          tags: { ...name(`${planned.tier}-${planned.availabilityZone}`), Tier: planned.tier, ...tierTags[planned.tier] },
        }),
      );
    }
    const subnet = (tier: SubnetTier, zone: string) => subnets.get(`${tier}/${zone}`)!;
    const tierSubnets = (tier: SubnetTier): TierSubnets => ({
      ids: props.availabilityZones.map((zone) => subnet(tier, zone).id),
      byAz: Object.fromEntries(props.availabilityZones.map((zone) => [zone, subnet(tier, zone).id])),
    });
    this.publicSubnets = tierSubnets("public");
    this.privateSubnets = tierSubnets("private");
    this.isolatedSubnets = tierSubnets("isolated");

    // Public tier: default route to the internet gateway.
    const internetGateway = new InternetGateway(this, "internet-gateway", { vpcId: vpc.id, tags: name("igw") });
    const publicRouteTable = new RouteTable(this, "public-route-table", { vpcId: vpc.id, tags: name("public") });
    new Route(this, "public-default-route", {
      routeTableId: publicRouteTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: internetGateway.id,
    });
    this.publicRouteTableId = publicRouteTable.id;

    // NAT gateways in the public subnets: every zone, or the first one only.
    const natZones = props.natGateways === "perAz" ? props.availabilityZones : props.availabilityZones.slice(0, 1);
    const natByZone = new Map<string, NatGateway>();
    for (const zone of natZones) {
      const address = new Eip(this, `nat-eip-${zone}`, { domain: "vpc", tags: name(`nat-${zone}`) });
      natByZone.set(
        zone,
        new NatGateway(this, `nat-${zone}`, {
          allocationId: address.allocationId,
          subnetId: subnet("public", zone).id,
          connectivityType: "public",
          tags: name(`nat-${zone}`),
          dependsOn: [internetGateway],
        }),
      );
    }
    this.natGatewayIds = natZones.map((zone) => natByZone.get(zone)!.id);
    this.natGatewaysByZone = Object.fromEntries(natZones.map((zone) => [zone, natByZone.get(zone)!.id]));

    // Private tier: one route table per zone, default route to the zone's NAT (or the single one).
    const privateRouteTableIds: Record<string, string> = {};
    for (const zone of props.availabilityZones) {
      const table = new RouteTable(this, `private-route-table-${zone}`, { vpcId: vpc.id, tags: name(`private-${zone}`) });
      new Route(this, `private-default-route-${zone}`, {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: (natByZone.get(zone) ?? natByZone.get(natZones[0])!).id,
      });
      privateRouteTableIds[zone] = table.id;
    }
    this.privateRouteTableIds = privateRouteTableIds;

    // Isolated tier: a route table with the local route only (plus the gateway endpoints below).
    const isolatedRouteTable = new RouteTable(this, "isolated-route-table", { vpcId: vpc.id, tags: name("isolated") });
    this.isolatedRouteTableId = isolatedRouteTable.id;

    for (const zone of props.availabilityZones) {
      const tables: Record<SubnetTier, string> = {
        public: publicRouteTable.id,
        private: privateRouteTableIds[zone],
        isolated: isolatedRouteTable.id,
      };
      for (const tier of Object.keys(tables) as SubnetTier[]) {
        new RouteTableAssociation(this, `${tier}-route-table-association-${zone}`, {
          subnetId: subnet(tier, zone).id,
          routeTableId: tables[tier],
        });
      }
    }

    // The VPC's defaults, adopted: no rules in the default security group, the main route table without routes
    // (a subnet nobody associated reaches nothing), the default network ACL kept open (security groups filter).
    new DefaultSecurityGroup(this, "default-security-group", { vpcId: vpc.id, tags: name("default-do-not-use") });
    new DefaultRouteTable(this, "main-route-table", {
      defaultRouteTableId: vpc.defaultRouteTableId,
      route: [],
      tags: name("main-unused"),
    });
    const allTraffic = { ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" };
    new DefaultNetworkAcl(this, "default-network-acl", {
      defaultNetworkAclId: vpc.defaultNetworkAclId,
      ingress: [allTraffic],
      egress: [allTraffic],
      tags: name("default"),
      // Subnets join the default ACL implicitly; listing them here would fight AWS.
      lifecycle: { ignoreChanges: ["subnet_ids"] },
    });

    const endpoints = new VpcEndpoints(this, "endpoints", {
      namePrefix: props.namePrefix,
      region: props.region,
      vpcId: vpc.id,
      vpcCidr: props.vpcCidr,
      subnetIds: this.privateSubnets.ids,
      gatewayRouteTableIds: [...Object.values(privateRouteTableIds), isolatedRouteTable.id],
      interfaceServices: props.interfaceEndpoints,
      resourceAccounts: [props.accountId, ...(props.readAccounts ?? [])],
    });
    this.endpointSecurityGroupId = endpoints.securityGroupId;
    this.s3PrefixListId = endpoints.s3PrefixListId;

    this.flowLogGroupName = `/${props.namePrefix}/vpc/flow-logs`;
    const flowLogKey = new EncryptionKey(this, "flow-log-key", {
      namePrefix: props.namePrefix,
      purpose: "vpc-flow-logs",
      description: `Encrypts the VPC flow logs of ${props.namePrefix}`,
      accountId: props.accountId,
      region: props.region,
      viaServices: [],
      servicePrincipalStatements: [cloudWatchLogsKeyStatement(props.region, props.accountId, [this.flowLogGroupName])],
      preventDestroy: props.preventDestroy,
    });
    new VpcFlowLogs(this, "flow-logs", {
      namePrefix: props.namePrefix,
      accountId: props.accountId,
      region: props.region,
      vpcId: vpc.id,
      encryptionKey: flowLogKey,
      logGroupName: this.flowLogGroupName,
      retentionDays: props.flowLogRetentionDays,
      logDeletionProtection: props.logDeletionProtection ?? false,
    });
  }

  /** Alarms on each NAT gateway: source ports exhausted (too many concurrent connections to one destination). */
  addAlarms(destination: AlarmDestination, thresholds: { readonly portAllocationErrors: number }): void {
    for (const [zone, natGatewayId] of Object.entries(this.natGatewaysByZone)) {
      new ThresholdAlarm(this, `nat-port-allocation-alarm-${zone}`, {
        name: `nat-${zone}-port-allocation`,
        description: `NAT gateway ${zone} could not allocate source ports: outbound connections are failing. Look for a workload opening many connections to one destination (AWS/NATGateway ActiveConnectionCount).`,
        metric: { namespace: "AWS/NATGateway", metricName: "ErrorPortAllocation", dimensions: { NatGatewayId: natGatewayId }, statistic: "Sum" },
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: thresholds.portAllocationErrors,
        destination,
      });
    }
  }
}
