import { Testing } from "cdktf";
import { atlantisTaskRoleName } from "../../modules/atlantis/atlantis-server";
import { ATLANTIS_SERVERS, EXECUTABLE_NAME, SERVER_ROLE, atlantisServerConfig } from "../../modules/delivery/atlantis-server-config";
import { cidrContains, parseCidr } from "../../modules/network/cidr";
import { createEnvironmentStacks, loadStackDependencies } from "../../stacks";
import { atlantisHostname } from "../../stacks/atlantis-stack";
import { BOOTSTRAP_LAYERS, identityRoleArn, permissionsBoundaryArn } from "../../stacks/naming";
import { atlantisSubnetCidrs, subnetCidrs } from "../../stacks/peering";
import { ENVIRONMENTS, ENVIRONMENT_NAMES, TOOLING, environment } from "../helpers/environments";
import { StackJson, onlyResource, resourcesOf, synthApp, synthesizedStacks } from "../helpers/synth";

// The tooling environment (Atlantis, the peering hub) and what each workload environment gets from it: the peering
// request and its routes, the control plane's ingress from Atlantis only, the roles Atlantis assumes.

const tooling = synthesizedStacks(TOOLING.name);
const stack = (layer: string) => tooling[`${TOOLING.name}-${layer}`];
const values = (json: StackJson, type: string) => Object.values(resourcesOf(json, type));

describe("the tooling environment's stacks", () => {
  it("are state, identity, network, security, atlantis and peering, named tooling-<layer>", () => {
    expect(Object.keys(tooling).sort()).toEqual(["atlantis", "identity", "network", "peering", "security", "state"].map((layer) => `${TOOLING.name}-${layer}`));
  });

  it("keep Atlantis in private subnets of a VPC that overlaps no workload environment's", () => {
    for (const cidr of atlantisSubnetCidrs(TOOLING)) expect(cidrContains(parseCidr(TOOLING.network.vpcCidr), parseCidr(cidr))).toBe(true);
    const subnets = values(stack("network"), "aws_subnet").filter((subnet) => subnet.tags.Tier === "private");
    expect(subnets.map((subnet) => subnet.cidr_block).sort()).toEqual([...atlantisSubnetCidrs(TOOLING)].sort());
    expect(subnets.every((subnet) => subnet.map_public_ip_on_launch !== true)).toBe(true);
  });

  it("let through their gateway endpoints the tooling account's and every workload environment's buckets and tables (Atlantis reads their state)", () => {
    const gateways = values(stack("network"), "aws_vpc_endpoint").filter((endpoint) => endpoint.vpc_endpoint_type === "Gateway");
    expect(gateways).toHaveLength(2);
    for (const endpoint of gateways) {
      const [perimeter] = JSON.parse(endpoint.policy).Statement;
      expect(perimeter.Condition).toEqual({ StringEquals: { "aws:ResourceAccount": [TOOLING.awsAccountId, ...ENVIRONMENTS.map((env) => env.awsAccountId)] } });
    }
  });

  it("create only the human roles in the tooling account (Atlantis's stacks there are applied by hand)", () => {
    const names = values(stack("identity"), "aws_iam_role").map((role) => role.name).sort();
    expect(names).toEqual(["break-glass", "developer", "platform-admin"].map((suffix) => `${TOOLING.project}-${TOOLING.name}-${suffix}`));
  });
});

describe.each(ATLANTIS_SERVERS)("the Atlantis %s", (server) => {
  const atlantis = stack("atlantis");
  const [taskDefinition] = values(atlantis, "aws_ecs_task_definition").filter((definition) => definition.family.endsWith(`-${server}`));
  const [container] = JSON.parse(taskDefinition.container_definitions);
  const environmentOf = Object.fromEntries(container.environment.map(({ name, value }: { name: string; value: string }) => [name, value]));
  const taskRole = Object.entries(resourcesOf(atlantis, "aws_iam_role")).find(([, role]) => role.name === atlantisTaskRoleName(`${TOOLING.project}-${TOOLING.name}`, server))!;
  const taskPolicy = values(atlantis, "aws_iam_role_policy").find((policy) => policy.role === `\${aws_iam_role.${taskRole[0]}.name}`)!;

  it("may assume every workload environment's role of its kind, and nothing else", () => {
    expect(JSON.parse(taskPolicy.policy).Statement).toEqual([
      { Sid: "AssumeEnvironmentRoles", Effect: "Allow", Action: "sts:AssumeRole", Resource: ENVIRONMENTS.map((env) => identityRoleArn(env, SERVER_ROLE[server])) },
    ]);
    expect(values(atlantis, "aws_iam_role_policy_attachment").filter((attachment) => attachment.role === `\${aws_iam_role.${taskRole[0]}.name}`)).toEqual([]);
  });

  it("runs the server-side repo config generated from code, with its own comment command and allowed commands", () => {
    // Terraform escapes `${` as `$${` in the configuration: unescaped, it is the generated config.
    expect(JSON.parse(environmentOf.ATLANTIS_REPO_CONFIG_JSON.replaceAll("$${", "${"))).toEqual(atlantisServerConfig(server));
    expect(environmentOf.ATLANTIS_EXECUTABLE_NAME).toBe(EXECUTABLE_NAME[server]);
    expect(environmentOf.ATLANTIS_ATLANTIS_URL).toBe(`https://${atlantisHostname(TOOLING, server)}`);
    if (server === "planner") {
      expect(environmentOf.ATLANTIS_ALLOW_COMMANDS.split(",")).not.toContain("apply");
      expect(environmentOf.ATLANTIS_DISABLE_AUTOPLAN).toBeUndefined();
    } else {
      expect(environmentOf.ATLANTIS_DISABLE_AUTOPLAN).toBe("true");
      expect(environmentOf.ATLANTIS_GH_TEAM_ALLOWLIST.split(",")).toEqual([
        `${TOOLING.atlantis.deployTeam}:plan`,
        `${TOOLING.atlantis.deployTeam}:apply`,
        `${TOOLING.atlantis.deployTeam}:unlock`,
        "*:version",
      ]);
    }
    expect(environmentOf.ATLANTIS_GH_APP_ID).toBe(String(TOOLING.atlantis.githubAppIds[server]));
  });

  it("gets its GitHub App key and webhook secret as ECS secrets from Secrets Manager, never as plain variables", () => {
    expect(container.secrets.map(({ name }: { name: string }) => name).sort()).toEqual(["ATLANTIS_GH_APP_KEY", "ATLANTIS_GH_WEBHOOK_SECRET"]);
    for (const { valueFrom } of container.secrets) expect(valueFrom).toMatch(/^\$\{aws_secretsmanager_secret\..+\.arn\}$/);
    expect(Object.keys(environmentOf).filter((name) => /KEY|SECRET|TOKEN/.test(name))).toEqual([]);
    expect(values(atlantis, "aws_secretsmanager_secret_version")).toEqual([]);
  });
});

describe("the peering of the tooling VPC with every workload environment's", () => {
  const peering = stack("peering");
  const lookups = Object.entries(peering.data.aws_vpc_peering_connections as Record<string, StackJson>);
  const accepters = values(peering, "aws_vpc_peering_connection_accepter");
  const routes = values(peering, "aws_route");
  const filterOf = (lookup: StackJson, name: string) => lookup.filter.find((filter: StackJson) => filter.name === name)?.values;

  it("finds each environment's request by its account and CIDR, to this VPC, pending or active; none yet is no error", () => {
    const requesters = lookups.map(([, lookup]) => `${filterOf(lookup, "requester-vpc-info.owner-id")} ${filterOf(lookup, "requester-vpc-info.cidr-block")}`);
    expect(requesters.sort()).toEqual(ENVIRONMENTS.map((env) => `${env.awsAccountId} ${env.network.vpcCidr}`).sort());
    for (const [, lookup] of lookups) {
      expect(filterOf(lookup, "accepter-vpc-info.vpc-id")).toEqual([expect.stringMatching(/cross-stack-reference-input-tooling-network/)]);
      expect(filterOf(lookup, "status-code")).toEqual(["pending-acceptance", "active"]);
    }
  });

  it("accepts each request found (for_each over the lookup: an environment that has not asked yet gets nothing)", () => {
    expect(accepters).toHaveLength(ENVIRONMENTS.length);
    for (const accepter of accepters) {
      expect(accepter).toMatchObject({ auto_accept: true, vpc_peering_connection_id: "${each.value}" });
      expect(lookups.map(([id]) => `\${toset(data.aws_vpc_peering_connections.${id}.ids)}`)).toContain(accepter.for_each);
    }
  });

  it("routes Atlantis's private subnets to each environment's private subnets only, through the accepted connection", () => {
    const destinations = routes.map((route) => route.destination_cidr_block);
    const expected = ENVIRONMENTS.flatMap((env) => subnetCidrs(env, "private"));
    expect(new Set(destinations)).toEqual(new Set(expected));
    expect(routes.length).toBe(expected.length * TOOLING.network.availabilityZones.length);
    for (const route of routes) {
      expect(route.vpc_peering_connection_id).toBe("${each.value}");
      expect(route.depends_on).toEqual([expect.stringMatching(/^aws_vpc_peering_connection_accepter\./)]);
    }
  });
});

describe.each(ENVIRONMENT_NAMES)("%s and the tooling environment", (name) => {
  const env = environment(name);
  const stacks = synthesizedStacks(name);
  const network = stacks[`${name}-network`];
  const cluster = stacks[`${name}-cluster`];

  it("requests the peering to the tooling VPC (the configured id) and routes only Atlantis's subnets to it, from every private route table", () => {
    expect(onlyResource(network, "aws_vpc_peering_connection")).toMatchObject({
      peer_owner_id: TOOLING.awsAccountId,
      peer_region: TOOLING.region,
      peer_vpc_id: TOOLING.network.vpcId,
      auto_accept: false,
    });
    const peered = values(network, "aws_route").filter((route) => route.vpc_peering_connection_id !== undefined);
    expect(new Set(peered.map((route) => route.destination_cidr_block))).toEqual(new Set(atlantisSubnetCidrs(TOOLING)));
    expect(peered).toHaveLength(atlantisSubnetCidrs(TOOLING).length * env.network.availabilityZones.length);
  });

  it("admits Atlantis's subnets to the Kubernetes API on 443, and no other network outside its VPC", () => {
    const controlPlane = Object.entries(resourcesOf(cluster, "aws_security_group")).find(([, group]) => group.name.endsWith("-control-plane"))![0];
    const byCidr = values(cluster, "aws_vpc_security_group_ingress_rule").filter(
      (rule) => rule.security_group_id === `\${aws_security_group.${controlPlane}.id}` && rule.cidr_ipv4 !== undefined,
    );
    expect(byCidr.map((rule) => [rule.cidr_ipv4, rule.from_port, rule.to_port]).sort()).toEqual(atlantisSubnetCidrs(TOOLING).map((cidr) => [cidr, 443, 443]).sort());
  });

  it("lets the planner assume the plan role and the applier the deploy role, each by its task role's ARN", () => {
    const identity = stacks[`${name}-identity`];
    const trust = (kind: "plan" | "deploy") =>
      JSON.parse(values(identity, "aws_iam_role").find((role) => role.name === identityRoleArn(env, kind).split("/")[1])!.assume_role_policy);
    const taskRoleArn = (server: "planner" | "applier") => `arn:aws:iam::${TOOLING.awsAccountId}:role/${atlantisTaskRoleName(`${TOOLING.project}-${TOOLING.name}`, server)}`;
    expect(JSON.stringify(trust("plan"))).toContain(taskRoleArn("planner"));
    expect(JSON.stringify(trust("plan"))).not.toContain(taskRoleArn("applier"));
    expect(JSON.stringify(trust("deploy"))).toContain(taskRoleArn("applier"));
    expect(JSON.stringify(trust("deploy"))).not.toContain(taskRoleArn("planner"));
  });

  it("bounds every role of the layers Atlantis applies with the environment's permissions boundary", () => {
    for (const [stackName, json] of Object.entries(stacks)) {
      const layer = stackName.slice(name.length + 1);
      for (const role of values(json, "aws_iam_role")) {
        expect([stackName, role.permissions_boundary]).toEqual([stackName, BOOTSTRAP_LAYERS.includes(layer as never) ? undefined : permissionsBoundaryArn(env)]);
      }
    }
  });
});

describe("a workload environment before the tooling VPC exists", () => {
  it("requests no peering (the tooling configuration names no VPC yet) and still admits Atlantis's subnets", async () => {
    const app = Testing.app();
    createEnvironmentStacks(app, environment("dev"), await loadStackDependencies(), { ...TOOLING, network: { ...TOOLING.network, vpcId: undefined } });
    const stacks = synthApp(app);
    expect(resourcesOf(stacks["dev-network"], "aws_vpc_peering_connection")).toEqual({});
    expect(values(stacks["dev-network"], "aws_route").filter((route) => route.vpc_peering_connection_id !== undefined)).toEqual([]);
    const admitted = values(stacks["dev-cluster"], "aws_vpc_security_group_ingress_rule").map((rule) => rule.cidr_ipv4);
    for (const cidr of atlantisSubnetCidrs(TOOLING)) expect(admitted).toContain(cidr);
  });
});
