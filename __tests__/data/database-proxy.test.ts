import { Testing } from "cdktf";
import { IamRole, serviceTrust } from "../../modules/iam/iam-role";
import { DataStack } from "../../stacks/data-stack";
import { NetworkStack } from "../../stacks/network-stack";
import { environment } from "../helpers/environments";
import { StackJson, referenceTo, resourcesOf, synthApp } from "../helpers/synth";

describe("DatabaseProxy clients", () => {
  const env = environment("staging");
  const app = Testing.app();
  const network = new NetworkStack(app, env);
  const data = new DataStack(app, env, network.network, network.alerts);
  const client = new IamRole(data, "client", { roleName: "proteomics-staging-client", description: "test", trust: [serviceTrust("pods.eks.amazonaws.com", env.awsAccountId)] });
  data.proxy.grantConnect(client, "api");
  data.proxy.allowClient(data, "test-client", "sg-0123456789abcdef0", "PostgreSQL from the test client");
  const stack = synthApp(app)["staging-data"];

  it("grants rds-db:connect on the proxy's resource id for that database user only", () => {
    const [roleId] = Object.entries(resourcesOf(stack, "aws_iam_role")).find(([, role]) => role.name === "proteomics-staging-client")!;
    const policy = Object.values(resourcesOf(stack, "aws_iam_role_policy")).find((p) => p.role === `${referenceTo("aws_iam_role", roleId)}name}`)!;
    const [proxyId] = Object.keys(resourcesOf(stack, "aws_db_proxy"));
    const [localName, localValue] = Object.entries(stack.locals as Record<string, string>)[0];
    expect(localValue).toBe(`\${element(split(":", aws_db_proxy.${proxyId}.arn), 6)}`);
    expect(JSON.parse(policy.policy).Statement).toEqual([
      {
        Effect: "Allow",
        Action: "rds-db:connect",
        Resource: `arn:aws:rds-db:sa-east-1:444455556666:dbuser:\${local.${localName}}/api`,
      },
    ]);
  });

  it("admits the client's security group on 5432, described", () => {
    const proxy = Object.values(resourcesOf(stack, "aws_db_proxy"))[0];
    const ingress = Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule")).filter(
      (rule: StackJson) => rule.security_group_id === proxy.vpc_security_group_ids[0],
    );
    expect(ingress).toEqual([
      expect.objectContaining({
        referenced_security_group_id: "sg-0123456789abcdef0",
        from_port: 5432,
        to_port: 5432,
        ip_protocol: "tcp",
        description: "PostgreSQL from the test client",
      }),
    ]);
  });

  it("refuses a database user the proxy does not know", () => {
    expect(() => data.proxy.grantConnect(client, "postgres")).toThrow("postgres is not a database user of the proxy (api, metrics_writer, frontend, proteomics_admin)");
  });
});
