import { DataAwsVpcPeeringConnections } from "@cdktf/provider-aws/lib/data-aws-vpc-peering-connections";
import { Route } from "@cdktf/provider-aws/lib/route";
import { VpcPeeringConnection } from "@cdktf/provider-aws/lib/vpc-peering-connection";
import { VpcPeeringConnectionAccepterA as VpcPeeringConnectionAccepter } from "@cdktf/provider-aws/lib/vpc-peering-connection-accepter";
import { TerraformIterator } from "cdktf";
import { Construct } from "constructs";

/** Routes through a peering connection: every listed route table sends the listed CIDRs to it. */
function peeringRoutes(scope: Construct, connectionId: string, routeTableIds: readonly string[], destinationCidrs: readonly string[]): void {
  routeTableIds.forEach((routeTableId, table) =>
    destinationCidrs.forEach(
      (cidr, destination) =>
        new Route(scope, `route-${table}-${destination}`, { routeTableId, destinationCidrBlock: cidr, vpcPeeringConnectionId: connectionId }),
    ),
  );
}

export interface PeeringRequestProps {
  /** Name of the connection (its `Name` tag), e.g. `proteomics-dev-to-tooling`. */
  readonly name: string;
  /** The requesting (this account's) VPC. */
  readonly vpcId: string;
  /** The VPC asked to peer: its account, region and id. */
  readonly peer: { readonly accountId: string; readonly region: string; readonly vpcId: string };
  /** Route tables of this VPC that reach the peer. */
  readonly routeTableIds: readonly string[];
  /** The peer's address ranges those route tables send through the connection (only what must be reached). */
  readonly destinationCidrs: readonly string[];
}

/**
 * The requesting side of a cross-account VPC peering connection, and this VPC's routes to the peer. The connection
 * stays `pending-acceptance` (its routes inactive) until the peer's account accepts it ({@link PeeringAcceptance}).
 * Peering is not transitive: a VPC peered with the tooling VPC reaches no other VPC through it.
 */
export class PeeringRequest extends Construct {
  /** The connection's id, `pcx-...`. */
  readonly connectionId: string;

  constructor(scope: Construct, id: string, props: PeeringRequestProps) {
    super(scope, id);
    const connection = new VpcPeeringConnection(this, "connection", {
      vpcId: props.vpcId,
      peerOwnerId: props.peer.accountId,
      peerRegion: props.peer.region,
      peerVpcId: props.peer.vpcId,
      // Accepted by the peer's account, never by this one's credentials.
      autoAccept: false,
      tags: { Name: props.name },
    });
    this.connectionId = connection.id;
    peeringRoutes(this, connection.id, props.routeTableIds, props.destinationCidrs);
  }
}

export interface PeeringAcceptanceProps {
  /** Name of the connection on this side (its `Name` tag), e.g. `proteomics-tooling-to-dev`. */
  readonly name: string;
  /** The accepting (this account's) VPC. */
  readonly vpcId: string;
  /** The VPC that requested the connection: its account and address range. */
  readonly requester: { readonly accountId: string; readonly vpcCidr: string };
  /** Route tables of this VPC that reach the requester. */
  readonly routeTableIds: readonly string[];
  /** The requester's address ranges those route tables send through the connection. */
  readonly destinationCidrs: readonly string[];
}

/**
 * The accepting side of a cross-account VPC peering connection: finds the request the other account made to this
 * VPC (by the requester's account and CIDR, which the configuration knows, so no id is copied by hand), accepts it,
 * and adds this VPC's routes to the requester. Until the request exists it finds none and creates nothing, so the
 * stack plans and applies before every environment has asked; apply it again after an environment's request.
 */
export class PeeringAcceptance extends Construct {
  /** The requests found: none until the other account has asked, then one. */
  readonly requestIds: string[];

  constructor(scope: Construct, id: string, props: PeeringAcceptanceProps) {
    super(scope, id);
    const requests = new DataAwsVpcPeeringConnections(this, "requests", {
      filter: [
        { name: "requester-vpc-info.owner-id", values: [props.requester.accountId] },
        { name: "requester-vpc-info.cidr-block", values: [props.requester.vpcCidr] },
        { name: "accepter-vpc-info.vpc-id", values: [props.vpcId] },
        // A deleted or rejected request must not be found again; a pending one is accepted, an active one kept.
        { name: "status-code", values: ["pending-acceptance", "active"] },
      ],
    });
    this.requestIds = requests.ids;
    const accepter = new VpcPeeringConnectionAccepter(this, "accepter", {
      forEach: TerraformIterator.fromList(requests.ids),
      vpcPeeringConnectionId: "${each.value}",
      autoAccept: true,
      tags: { Name: props.name },
    });
    props.routeTableIds.forEach((routeTableId, table) =>
      props.destinationCidrs.forEach(
        (cidr, destination) =>
          new Route(this, `route-${table}-${destination}`, {
            forEach: TerraformIterator.fromList(requests.ids),
            routeTableId,
            destinationCidrBlock: cidr,
            vpcPeeringConnectionId: "${each.value}",
            dependsOn: [accepter],
          }),
      ),
    );
  }
}
