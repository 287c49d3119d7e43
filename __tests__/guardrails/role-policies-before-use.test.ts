import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { IamRole as IamRoleResource } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine";
import { App, Aspects, TerraformResource, TerraformStack, Testing } from "cdktf";
import { guardrailViolations } from "../../modules/guardrails/guardrail-report";
import { GuardrailsAspect } from "../../modules/guardrails/guardrails-aspect";
import { STRICT_CONTEXT } from "../../modules/guardrails/rule";
import { ROLE_VALIDATED_AT_CREATE, rolePoliciesBeforeUse } from "../../modules/guardrails/rules/role-policies";
import { SynthesizedStack } from "../../modules/guardrails/synthesized-stack";
import { IamRole, serviceTrust } from "../../modules/iam/iam-role";
import { ENVIRONMENT_NAMES } from "../helpers/environments";
import { synthesizedStacks } from "../helpers/synth";

/** A stack checked by this rule only. */
function checkedStack(app: App, id = "fixture"): TerraformStack {
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, "aws", { region: "sa-east-1" });
  Aspects.of(stack).add(new GuardrailsAspect(STRICT_CONTEXT, [rolePoliciesBeforeUse]));
  return stack;
}

/** A bare role with an inline policy and a managed policy attachment, at readable addresses. */
function roleWithPolicies(stack: TerraformStack) {
  const role = new IamRoleResource(stack, "role", { name: "fixture", assumeRolePolicy: "{}" });
  const inline = new IamRolePolicy(stack, "inline", { role: role.name, policy: "{}" });
  const attachment = new IamRolePolicyAttachment(stack, "attachment", { role: role.name, policyArn: "arn:aws:iam::aws:policy/x" });
  return { role, inline, attachment };
}

/** One consumer of `roleArn` per resource type AWS validates at create. */
const CONSUMERS: Record<string, (stack: TerraformStack, roleArn: string, dependsOn?: TerraformResource[]) => TerraformResource> = {
  aws_sfn_state_machine: (stack, roleArn, dependsOn) => new SfnStateMachine(stack, "consumer", { name: "x", roleArn, definition: "{}", dependsOn }),
  aws_eks_cluster: (stack, roleArn, dependsOn) =>
    new EksCluster(stack, "consumer", { name: "x", roleArn, vpcConfig: { subnetIds: ["subnet-1"] }, dependsOn }),
  aws_eks_node_group: (stack, nodeRoleArn, dependsOn) =>
    new EksNodeGroup(stack, "consumer", {
      clusterName: "x",
      nodeGroupName: "x",
      nodeRoleArn,
      subnetIds: ["subnet-1"],
      scalingConfig: { minSize: 1, maxSize: 1, desiredSize: 1 },
      dependsOn,
    }),
  aws_db_instance: (stack, monitoringRoleArn, dependsOn) =>
    new DbInstance(stack, "consumer", { instanceClass: "db.t4g.medium", monitoringInterval: 60, monitoringRoleArn, dependsOn }),
  aws_lambda_function: (stack, role, dependsOn) => new LambdaFunction(stack, "consumer", { functionName: "x", role, dependsOn }),
};

const violations = (app: App) => guardrailViolations(app).map(({ stack, address, ruleId, message }) => `${stack} ${address} ${ruleId}: ${message}`);

describe("role-policies-before-use", () => {
  it("covers every resource type AWS validates a role on at create", () => {
    expect(ROLE_VALIDATED_AT_CREATE.map(({ type }) => type).sort()).toEqual(Object.keys(CONSUMERS).sort());
  });

  it.each(ROLE_VALIDATED_AT_CREATE.map(({ type, attribute }) => [type, attribute]))(
    "%s: requires depends_on on every policy of the role in %s",
    (type, attribute) => {
      const app = Testing.app();
      const stack = checkedStack(app);
      const { role } = roleWithPolicies(stack);
      CONSUMERS[type](stack, role.arn);
      expect(() => app.synth()).toThrow(
        `guardrail violation [fixture] ${type}.consumer: role-policies-before-use: add aws_iam_role_policy.inline, aws_iam_role_policy_attachment.attachment to depends_on: AWS checks the permissions of aws_iam_role.role (${attribute}) when it creates this resource (IamRole.grantsBefore)`,
      );
      expect(violations(app)).toHaveLength(1);
    },
  );

  it("names only the policies missing from depends_on, and accepts the resource once all are there", () => {
    const partly = Testing.app();
    const partlyStack = checkedStack(partly);
    const { role: partlyRole, inline } = roleWithPolicies(partlyStack);
    CONSUMERS.aws_sfn_state_machine(partlyStack, partlyRole.arn, [inline]);
    expect(() => partly.synth()).toThrow();
    expect(violations(partly)).toEqual([
      "fixture aws_sfn_state_machine.consumer role-policies-before-use: add aws_iam_role_policy_attachment.attachment to depends_on: AWS checks the permissions of aws_iam_role.role (role_arn) when it creates this resource (IamRole.grantsBefore)",
    ]);

    const fully = Testing.app();
    const fullyStack = checkedStack(fully);
    const { role: fullyRole, inline: policy, attachment } = roleWithPolicies(fullyStack);
    CONSUMERS.aws_sfn_state_machine(fullyStack, fullyRole.arn, [policy, attachment]);
    expect(() => fully.synth()).not.toThrow();
  });

  it("leaves alone roles from outside the stack and resources without the role attribute", () => {
    const app = Testing.app();
    const stack = checkedStack(app);
    roleWithPolicies(stack);
    CONSUMERS.aws_eks_cluster(stack, "arn:aws:iam::111122223333:role/elsewhere");
    new DbInstance(stack, "unmonitored", { instanceClass: "db.t4g.medium" });
    expect(() => app.synth()).not.toThrow();
  });
});

describe("IamRole.grantsBefore", () => {
  /** A project role and a state machine using it, the state machine declared with `grantsBefore`. */
  function machineAfterRole(app: App, grantEarly: boolean) {
    const stack = checkedStack(app);
    const role = new IamRole(stack, "machine-role", {
      roleName: "fixture-machine",
      description: "fixture",
      trust: [serviceTrust("states.amazonaws.com", "111122223333")],
    });
    const machine = new SfnStateMachine(stack, "machine", { name: "x", roleArn: role.arn, definition: "{}" });
    if (grantEarly) role.grantsBefore(machine);
    // Policies arrive after the call, as grant methods add them while the app is built.
    role.addToPolicy({ Effect: "Allow", Action: "logs:CreateLogDelivery", Resource: "*" });
    role.attachManagedPolicy("arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess");
    role.addToPolicy({ Effect: "Allow", Action: "states:StartExecution", Resource: "arn:aws:states:sa-east-1:111122223333:stateMachine:x" });
    if (!grantEarly) role.grantsBefore(machine);
    role.grantsBefore(machine);
    return { stack, machine };
  }

  it.each([
    ["before the policies are added", true],
    ["after the policies are added", false],
  ])("makes the resource depend on every policy of the role, %s, once each", (_when, grantEarly) => {
    const app = Testing.app();
    const { stack } = machineAfterRole(app, grantEarly);
    expect(() => app.synth()).not.toThrow();
    const json = JSON.parse(Testing.synth(stack));
    const dependsOn: string[] = Object.values(json.resource.aws_sfn_state_machine as Record<string, { depends_on: string[] }>)[0].depends_on;
    const policies = [
      ...Object.keys(json.resource.aws_iam_role_policy).map((id) => `aws_iam_role_policy.${id}`),
      ...Object.keys(json.resource.aws_iam_role_policy_attachment).map((id) => `aws_iam_role_policy_attachment.${id}`),
    ];
    expect(policies).toHaveLength(2);
    expect([...dependsOn].sort()).toEqual(policies.sort());
  });

  it("orders a resource of another stack after the role's stack instead of adding depends_on", () => {
    const app = Testing.app();
    const roleStack = checkedStack(app, "roles");
    const role = new IamRole(roleStack, "role", { roleName: "fixture", description: "fixture", trust: [serviceTrust("eks.amazonaws.com", "111122223333")] });
    role.attachManagedPolicy("arn:aws:iam::aws:policy/AmazonEKSClusterPolicy");
    const consumerStack = checkedStack(app, "consumers");
    const cluster = new EksCluster(consumerStack, "cluster", { name: "x", roleArn: "arn:aws:iam::111122223333:role/fixture", vpcConfig: { subnetIds: ["subnet-1"] } });
    role.grantsBefore(cluster);
    expect(cluster.dependsOn).toBeUndefined();
    expect(consumerStack.dependencies).toContain(roleStack);
  });
});

describe.each(ENVIRONMENT_NAMES)("%s: every resource AWS validates a role on waits for that role's policies", (name) => {
  it.each(Object.entries(synthesizedStacks(name)))("%s", (stackName, json) => {
    expect(rolePoliciesBeforeUse.check(new SynthesizedStack(stackName, json), STRICT_CONTEXT)).toEqual([]);
  });

  it("in the cluster and data stacks, where the cluster, its node group and the database use such roles", () => {
    const stacks = synthesizedStacks(name);
    const consumers = (stack: string, type: string) => Object.values((stacks[`${name}-${stack}`].resource?.[type] ?? {}) as Record<string, { depends_on?: string[] }>);
    for (const [stack, type] of [
      ["cluster", "aws_eks_cluster"],
      ["cluster", "aws_eks_node_group"],
      ["data", "aws_db_instance"],
    ]) {
      expect(consumers(stack, type).length).toBeGreaterThan(0);
      for (const consumer of consumers(stack, type)) expect(consumer.depends_on?.some((address) => address.startsWith("aws_iam_role_policy"))).toBe(true);
    }
  });
});
