import { cidrContains, cidrsOverlap, parseCidr } from "../../modules/network/cidr";
import { REQUIRED_INTERFACE_ENDPOINTS } from "../../modules/network/interface-endpoints";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { decision } from "../helpers/iam-simulation";
import { PerimeterInterfaceService, isPerimeterService } from "../../modules/network/interface-endpoint-policies";
import { StackJson, onlyResource, referenceTo as ref, resourcesOf, synthesizedStacks } from "../helpers/synth";

/** Every network stack, synthesized once for this file. */
const networkStacks = Object.fromEntries(
  ENVIRONMENT_NAMES.map((name) => [name, synthesizedStacks(name)[`${name}-network`]]),
);

describe.each(ENVIRONMENT_NAMES)("%s-network", (name) => {
  const env = environment(name);
  const stack = networkStacks[name];
  const zones = env.network.availabilityZones;
  const subnets = Object.entries(resourcesOf(stack, "aws_subnet"));
  const subnetsOf = (tier: string) => subnets.filter(([, subnet]) => subnet.tags.Tier === tier);
  const routeTables = resourcesOf(stack, "aws_route_table");
  const routes = Object.values(resourcesOf(stack, "aws_route"));
  const associations = Object.values(resourcesOf(stack, "aws_route_table_association"));
  /** Route table id (logical) a subnet is associated with. */
  const tableOf = (subnetId: string) => {
    const matches = associations.filter((a) => a.subnet_id.startsWith(ref("aws_subnet", subnetId)));
    expect(matches).toHaveLength(1);
    return Object.keys(routeTables).find((id) => matches[0].route_table_id.startsWith(ref("aws_route_table", id)))!;
  };
  const routesOf = (tableId: string) => routes.filter((route) => route.route_table_id.startsWith(ref("aws_route_table", tableId)));

  it("has a VPC with DNS support and hostnames on the configured CIDR", () => {
    expect(onlyResource(stack, "aws_vpc")).toMatchObject({
      cidr_block: env.network.vpcCidr,
      enable_dns_support: true,
      enable_dns_hostnames: true,
    });
  });

  it("has three subnets per availability zone, one per tier", () => {
    expect(subnets).toHaveLength(zones.length * 3);
    for (const tier of ["public", "private", "isolated"]) {
      expect(subnetsOf(tier).map(([, subnet]) => subnet.availability_zone).sort()).toEqual([...zones].sort());
    }
  });

  it("keeps every subnet inside the VPC CIDR, with no two overlapping", () => {
    const vpc = parseCidr(env.network.vpcCidr);
    const blocks = subnets.map(([, subnet]) => parseCidr(subnet.cidr_block));
    for (const [index, block] of blocks.entries()) {
      expect(cidrContains(vpc, block)).toBe(true);
      for (const other of blocks.slice(index + 1)) expect(cidrsOverlap(block, other)).toBe(false);
    }
  });

  it("gives the private tier the largest subnets, sized from config", () => {
    for (const tier of ["public", "private", "isolated"] as const) {
      for (const [, subnet] of subnetsOf(tier)) {
        expect(parseCidr(subnet.cidr_block).prefix).toBe(env.network.subnetPrefixes[tier]);
      }
    }
    expect(env.network.subnetPrefixes.private).toBeLessThan(env.network.subnetPrefixes.public);
    expect(env.network.subnetPrefixes.private).toBeLessThan(env.network.subnetPrefixes.isolated);
  });

  it("never maps public IPs at launch", () => {
    for (const [, subnet] of subnets) expect(subnet.map_public_ip_on_launch).toBeUndefined();
  });

  it("tags the tiers for load balancers and Karpenter discovery", () => {
    for (const [, subnet] of subnetsOf("public")) {
      expect(subnet.tags["kubernetes.io/role/elb"]).toBe("1");
      expect(subnet.tags["karpenter.sh/discovery"]).toBeUndefined();
    }
    for (const [, subnet] of subnetsOf("private")) {
      expect(subnet.tags["kubernetes.io/role/internal-elb"]).toBe("1");
      expect(subnet.tags["karpenter.sh/discovery"]).toBe(`proteomics-${name}-eks`);
      expect(subnet.tags["kubernetes.io/role/elb"]).toBeUndefined();
    }
    for (const [, subnet] of subnetsOf("isolated")) {
      expect(Object.keys(subnet.tags).sort()).toEqual(["Name", "Tier"]);
    }
  });

  it("routes the public tier to the internet gateway", () => {
    const [igwId] = Object.keys(resourcesOf(stack, "aws_internet_gateway"));
    for (const [subnetId] of subnetsOf("public")) {
      expect(routesOf(tableOf(subnetId))).toEqual([
        expect.objectContaining({ destination_cidr_block: "0.0.0.0/0", gateway_id: `${ref("aws_internet_gateway", igwId)}id}` }),
      ]);
    }
  });

  it(`has ${env.network.natGateways === "perAz" ? "one NAT gateway per zone" : "a single NAT gateway"}, each in a public subnet`, () => {
    const nats = resourcesOf(stack, "aws_nat_gateway");
    expect(Object.keys(nats)).toHaveLength(env.network.natGateways === "perAz" ? zones.length : 1);
    const publicSubnetIds = subnetsOf("public").map(([id]) => id);
    for (const nat of Object.values(nats)) {
      expect(publicSubnetIds.some((id) => nat.subnet_id.startsWith(ref("aws_subnet", id)))).toBe(true);
    }
    expect(Object.keys(resourcesOf(stack, "aws_eip"))).toHaveLength(Object.keys(nats).length);
  });

  it("routes each private subnet to a NAT gateway, its own zone's when there is one per zone", () => {
    const nats = resourcesOf(stack, "aws_nat_gateway");
    const subnetZone = (reference: string) =>
      subnets.find(([id]) => reference.startsWith(ref("aws_subnet", id)))![1].availability_zone;
    for (const [subnetId, subnet] of subnetsOf("private")) {
      const defaults = routesOf(tableOf(subnetId)).filter((route) => route.destination_cidr_block === "0.0.0.0/0");
      expect(defaults).toHaveLength(1);
      const natId = Object.keys(nats).find((id) => defaults[0].nat_gateway_id === `${ref("aws_nat_gateway", id)}id}`)!;
      expect(natId).toBeDefined();
      const natZone = subnetZone(nats[natId].subnet_id);
      expect(natZone).toBe(env.network.natGateways === "perAz" ? subnet.availability_zone : zones[0]);
    }
  });

  it("gives the isolated subnets no route out of the VPC", () => {
    const tables = new Set(subnetsOf("isolated").map(([id]) => tableOf(id)));
    for (const table of tables) {
      expect(routesOf(table)).toEqual([]);
      expect(routeTables[table].route).toBeUndefined();
    }
    const privateTables = new Set(subnetsOf("private").map(([id]) => tableOf(id)));
    for (const table of tables) expect(privateTables.has(table)).toBe(false);
  });

  it("adopts the VPC's defaults: no security group rules, an empty main route table, the default ACL", () => {
    const defaultGroup = onlyResource(stack, "aws_default_security_group");
    expect(defaultGroup.ingress).toBeUndefined();
    expect(defaultGroup.egress).toBeUndefined();
    expect(onlyResource(stack, "aws_default_route_table").route).toEqual([]);
    expect(onlyResource(stack, "aws_default_network_acl").default_network_acl_id).toMatch(/^\$\{aws_vpc\..+\.default_network_acl_id}$/);
  });

  describe("endpoints", () => {
    const endpoints = Object.values(resourcesOf(stack, "aws_vpc_endpoint"));
    const gateway = endpoints.filter((endpoint) => endpoint.vpc_endpoint_type === "Gateway");
    const interfaces = endpoints.filter((endpoint) => endpoint.vpc_endpoint_type === "Interface");

    it("has S3 and DynamoDB gateway endpoints on every private and isolated route table", () => {
      expect(gateway.map((endpoint) => endpoint.service_name).sort()).toEqual([
        `com.amazonaws.${env.region}.dynamodb`,
        `com.amazonaws.${env.region}.s3`,
      ]);
      const expectedTables = [...new Set([...subnetsOf("private"), ...subnetsOf("isolated")].map(([id]) => tableOf(id)))]
        .map((id) => `${ref("aws_route_table", id)}id}`)
        .sort();
      for (const endpoint of gateway) expect([...endpoint.route_table_ids].sort()).toEqual(expectedTables);
    });

    describe("data perimeter of the gateway endpoints (evaluated by the IAM simulator)", () => {
      const policyOf = (service: string) => JSON.parse(gateway.find((endpoint) => endpoint.service_name === `com.amazonaws.${env.region}.${service}`)!.policy);
      const OTHER_ACCOUNT = "210987654321";
      // The principal and the resource allow everything, so only the endpoint's policy decides.
      const anyAction = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:*", "dynamodb:*"], Resource: "*" }] };
      const anyone = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: ["s3:*", "dynamodb:*"], Resource: "*" }] };
      const through = (service: string, action: string, resource: string, resourceAccount: string) =>
        decision(
          {
            principal: `arn:aws:iam::${env.awsAccountId}:role/proteomics-${name}-eks-api`,
            action,
            resource,
            resourceAccount,
            context: { "aws:SourceVpce": "vpce-0123456789abcdef0", "aws:ResourceAccount": resourceAccount },
          },
          { identity: [anyAction], resource: anyone, vpcEndpoint: policyOf(service) },
        );

      it("lets the environment's own buckets and tables through, for reads and writes", async () => {
        expect(await through("s3", "s3:PutObject", `arn:aws:s3:::proteomics-${name}-uploads-${env.awsAccountId}/uploads/x`, env.awsAccountId)).toBe("Allowed");
        expect(await through("s3", "s3:GetObject", `arn:aws:s3:::proteomics-${name}-results-${env.awsAccountId}/x`, env.awsAccountId)).toBe("Allowed");
        expect(await through("dynamodb", "dynamodb:GetItem", `arn:aws:dynamodb:${env.region}:${env.awsAccountId}:table/x`, env.awsAccountId)).toBe("Allowed");
      });

      it("stops a copy to, or a read from, another account's bucket or table", async () => {
        expect(await through("s3", "s3:PutObject", `arn:aws:s3:::exfiltration-bucket/x`, OTHER_ACCOUNT)).toBe("ImplicitlyDenied");
        expect(await through("s3", "s3:GetObject", `arn:aws:s3:::someone-elses-bucket/x`, OTHER_ACCOUNT)).toBe("ImplicitlyDenied");
        expect(await through("dynamodb", "dynamodb:PutItem", `arn:aws:dynamodb:${env.region}:${OTHER_ACCOUNT}:table/x`, OTHER_ACCOUNT)).toBe("ImplicitlyDenied");
      });

      it("lets the nodes read the AWS-owned buckets they pull from, and write to none of them", async () => {
        for (const bucket of [`prod-${env.region}-starport-layer-bucket`, `prod-registry-k8s-io-${env.region}`, `al2023-repos-${env.region}-de612dc2`]) {
          expect(await through("s3", "s3:GetObject", `arn:aws:s3:::${bucket}/layer`, OTHER_ACCOUNT)).toBe("Allowed");
          expect(await through("s3", "s3:PutObject", `arn:aws:s3:::${bucket}/layer`, OTHER_ACCOUNT)).toBe("ImplicitlyDenied");
        }
      });
    });

    describe("data perimeter of the interface endpoints that can carry data out (evaluated by the IAM simulator)", () => {
      const OTHER_ACCOUNT = "210987654321";
      const perimeterServices = env.network.interfaceEndpoints.filter(isPerimeterService);
      const policyOf = (service: string) => interfaces.find((endpoint) => endpoint.service_name === `com.amazonaws.${env.region}.${service}`)!.policy;
      /** A write of each service into an account's resource: a queue, a secret, a log group, a key, a state machine, a warehouse. */
      const writeInto: Record<PerimeterInterfaceService, (account: string) => [string, string]> = {
        sqs: (account) => ["sqs:SendMessage", `arn:aws:sqs:${env.region}:${account}:queue`],
        secretsmanager: (account) => ["secretsmanager:PutSecretValue", `arn:aws:secretsmanager:${env.region}:${account}:secret:x-AbCdEf`],
        logs: (account) => ["logs:PutLogEvents", `arn:aws:logs:${env.region}:${account}:log-group:g:log-stream:s`],
        kms: (account) => ["kms:Encrypt", `arn:aws:kms:${env.region}:${account}:key/k`],
        states: (account) => ["states:StartExecution", `arn:aws:states:${env.region}:${account}:stateMachine:m`],
        "redshift-data": (account) => ["redshift-data:ExecuteStatement", `arn:aws:redshift:${env.region}:${account}:cluster:c`],
      };
      const through = (service: PerimeterInterfaceService, account: string) => {
        const [action, resource] = writeInto[service](account);
        // The principal's policy and the resource's (a key policy, a queue policy) allow it, so only the endpoint decides.
        const everything = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] };
        const anyone = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: action, Resource: "*" }] };
        return decision(
          { principal: `arn:aws:iam::${env.awsAccountId}:role/proteomics-${name}-eks-api`, action, resource, resourceAccount: account, context: { "aws:ResourceAccount": account } },
          { identity: [everything], resource: anyone, vpcEndpoint: JSON.parse(policyOf(service)) },
        );
      };

      it("covers every configured one of them", () => {
        expect(perimeterServices.length).toBeGreaterThan(0);
        for (const service of perimeterServices) expect([service, typeof policyOf(service)]).toEqual([service, "string"]);
      });

      it("lets the environment's own resources through and stops a write into another account's", async () => {
        for (const service of perimeterServices) {
          expect([service, await through(service, env.awsAccountId)]).toEqual([service, "Allowed"]);
          expect([service, await through(service, OTHER_ACCOUNT)]).toEqual([service, "ImplicitlyDenied"]);
        }
      });
    });

    it("has an interface endpoint with private DNS in every private subnet for each configured service", () => {
      expect(interfaces.map((endpoint) => endpoint.service_name).sort()).toEqual(
        env.network.interfaceEndpoints.map((service) => `com.amazonaws.${env.region}.${service}`).sort(),
      );
      for (const service of REQUIRED_INTERFACE_ENDPOINTS) expect(env.network.interfaceEndpoints).toContain(service);
      const privateSubnetRefs = subnetsOf("private").map(([id]) => `${ref("aws_subnet", id)}id}`).sort();
      for (const endpoint of interfaces) {
        expect(endpoint.private_dns_enabled).toBe(true);
        expect([...endpoint.subnet_ids].sort()).toEqual(privateSubnetRefs);
      }
    });

    it("puts interface endpoints behind a group that admits HTTPS from the VPC only", () => {
      const [groupId, group] = Object.entries(resourcesOf(stack, "aws_security_group"))[0];
      expect(Object.keys(resourcesOf(stack, "aws_security_group"))).toHaveLength(1);
      expect(group.ingress).toBeUndefined();
      for (const endpoint of interfaces) expect(endpoint.security_group_ids).toEqual([`${ref("aws_security_group", groupId)}id}`]);
      expect(Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule"))).toEqual([
        expect.objectContaining({ ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: env.network.vpcCidr }),
      ]);
      expect(resourcesOf(stack, "aws_vpc_security_group_egress_rule")).toEqual({});
    });
  });

  describe("flow logs", () => {
    const flowLog = onlyResource(stack, "aws_flow_log");
    const [groupId, group] = Object.entries(resourcesOf(stack, "aws_cloudwatch_log_group"))[0];
    const [keyId, key] = Object.entries(resourcesOf(stack, "aws_kms_key")).find(([id]) => id.startsWith("network_flow-log-key"))!;

    it("logs all traffic of the VPC to the log group, every minute", () => {
      const [vpcId] = Object.keys(resourcesOf(stack, "aws_vpc"));
      expect(flowLog).toMatchObject({
        vpc_id: `${ref("aws_vpc", vpcId)}id}`,
        traffic_type: "ALL",
        log_destination_type: "cloud-watch-logs",
        log_destination: `${ref("aws_cloudwatch_log_group", groupId)}arn}`,
        max_aggregation_interval: 60,
      });
    });

    it("keeps records for the configured days, encrypted with a rotating customer-managed key", () => {
      expect(group).toMatchObject({
        name: `/proteomics-${name}/vpc/flow-logs`,
        retention_in_days: env.network.flowLogRetentionDays,
        kms_key_id: `${ref("aws_kms_key", keyId)}arn}`,
      });
      expect(key.enable_key_rotation).toBe(true);
      expect(key.lifecycle).toEqual({ prevent_destroy: env.protection.preventDestroy });
    });

    it("lets CloudWatch Logs use the key for this log group only", () => {
      const statements = JSON.parse(key.policy).Statement;
      const logs = statements.find((statement: StackJson) => statement.Principal?.Service === `logs.${env.region}.amazonaws.com`);
      expect(logs.Condition).toEqual({
        ArnLike: {
          "kms:EncryptionContext:aws:logs:arn": [`arn:aws:logs:${env.region}:${env.awsAccountId}:log-group:/proteomics-${name}/vpc/flow-logs`],
        },
      });
      expect(statements.map((statement: StackJson) => statement.Sid)).toEqual(["AccountAdministersKey", "CloudWatchLogsEncryptsLogGroups"]);
    });

    it("delivers through a role trusted by the flow logs service of this account, writing to this group only", () => {
      const [roleId, role] = Object.entries(resourcesOf(stack, "aws_iam_role"))[0];
      expect(flowLog.iam_role_arn).toBe(`${ref("aws_iam_role", roleId)}arn}`);
      expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
        {
          Effect: "Allow",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": env.awsAccountId },
            ArnLike: { "aws:SourceArn": `arn:aws:ec2:${env.region}:${env.awsAccountId}:vpc-flow-log/*` },
          },
        },
      ]);
      const policy = JSON.parse(onlyResource(stack, "aws_iam_role_policy").policy);
      const groupArn = `${ref("aws_cloudwatch_log_group", groupId)}arn}`;
      expect(policy.Statement).toEqual([
        {
          Sid: "WriteFlowLogRecords",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [groupArn, `${groupArn}:log-stream:*`],
        },
        { Sid: "FindLogGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
      ]);
    });
  });
});
