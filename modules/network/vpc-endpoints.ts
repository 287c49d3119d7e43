import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Construct } from "constructs";
import { policyDocument } from "../iam/policy-document";
import { dynamodbGatewayEndpointPolicy, s3GatewayEndpointPolicy } from "./gateway-endpoint-policies";
import { interfaceEndpointPolicy, isPerimeterService } from "./interface-endpoint-policies";
import { SecurityGroup } from "./security-group";

export interface VpcEndpointsProps {
  /** Resource name prefix, `<project>-<env>`. */
  readonly namePrefix: string;
  /** Region of the services. */
  readonly region: string;
  /** The VPC. */
  readonly vpcId: string;
  /** The VPC's CIDR: the only source the endpoints accept HTTPS from. */
  readonly vpcCidr: string;
  /** Subnets that get an endpoint network interface (one per zone). */
  readonly subnetIds: readonly string[];
  /** Route tables that get the S3 and DynamoDB gateway routes. */
  readonly gatewayRouteTableIds: readonly string[];
  /** Services reached through interface endpoints, e.g. `ecr.api`. */
  readonly interfaceServices: readonly string[];
  /**
   * Accounts whose resources the gateway endpoints and the data-carrying interface endpoints let through (this
   * account's, and any it must read: the tooling VPC's Atlantis reads every workload account's state and keys).
   */
  readonly resourceAccounts: readonly string[];
}

/**
 * Gateway endpoints for S3 and DynamoDB on the given route tables, each with a data-perimeter policy (the listed
 * accounts' resources only, plus the AWS-owned buckets the nodes read), and interface endpoints (private DNS on)
 * behind a dedicated security group that admits HTTPS from the VPC only, those that can carry data out with a
 * policy admitting the listed accounts' resources only (`interface-endpoint-policies.ts`).
 */
export class VpcEndpoints extends Construct {
  /** Security group of the interface endpoints. */
  readonly securityGroupId: string;
  /** Interface endpoint ids by service name. */
  readonly interfaceEndpointIds: Readonly<Record<string, string>>;
  /** The managed prefix list of S3 in the region: the destination of traffic through the S3 gateway endpoint. */
  readonly s3PrefixListId: string;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    const gateway = (service: "s3" | "dynamodb") =>
      new VpcEndpoint(this, `gateway-${service}`, {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: "Gateway",
        routeTableIds: [...props.gatewayRouteTableIds],
        policy: policyDocument(service === "s3" ? s3GatewayEndpointPolicy(props.region, props.resourceAccounts) : dynamodbGatewayEndpointPolicy(props.resourceAccounts)),
        tags: { Name: `${props.namePrefix}-${service}` },
      });
    this.s3PrefixListId = gateway("s3").prefixListId;
    gateway("dynamodb");

    const securityGroup = new SecurityGroup(this, "security-group", {
      groupName: `${props.namePrefix}-vpc-endpoints`,
      description: "Interface VPC endpoints: HTTPS from inside the VPC only",
      vpcId: props.vpcId,
    });
    securityGroup.allowFromCidr("vpc", props.vpcCidr, 443, "HTTPS to AWS APIs from resources in the VPC");
    this.securityGroupId = securityGroup.id;

    const ids: Record<string, string> = {};
    for (const service of props.interfaceServices) {
      const endpoint = new VpcEndpoint(this, `interface-${service.replace(/\./g, "-")}`, {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: [...props.subnetIds],
        securityGroupIds: [securityGroup.id],
        policy: isPerimeterService(service) ? policyDocument(interfaceEndpointPolicy(service, props.resourceAccounts)) : undefined,
        tags: { Name: `${props.namePrefix}-${service}` },
      });
      ids[service] = endpoint.id;
    }
    this.interfaceEndpointIds = ids;
  }
}
