import { CUSTOMER_KEY_USAGE_ACTIONS, CUSTOMER_LISTING_ACTIONS, CUSTOMER_OBJECT_ACTIONS } from "../../modules/storage/data-perimeter";
import { PERIMETER_INTERFACE_SERVICES } from "../../modules/network/interface-endpoint-policies";
import { actionExists, isWildcardOnlyAction } from "../../modules/iam/action-catalog";
import { unscopedWildcardActions } from "../../modules/iam/scoping-conditions";
import { ENVIRONMENTS, TOOLING } from "../helpers/environments";
import { actionsMatching } from "../identity/iam-data";
import { StackJson, synthesizedStacks, synthesizedSuppressions } from "../helpers/synth";

/** A policy statement found somewhere in a synthesized stack, with where it was found. */
interface FoundStatement {
  /** `<stack>.<resource type>.<logical id>.<attribute…>`. */
  readonly where: string;
  /** Construct path of the resource that holds the policy. */
  readonly constructPath: string;
  readonly statement: StackJson;
}

/** Every policy document in every synthesized stack: identity, trust, key, bucket, queue and resource policies. */
function policyStatements(): FoundStatement[] {
  const found: FoundStatement[] = [];
  const visit = (value: unknown, where: string, constructPath: string): void => {
    if (typeof value === "string" && value.startsWith('{"Version":"2012-10-17"')) {
      for (const statement of JSON.parse(value).Statement) found.push({ where, constructPath, statement });
    } else if (value && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) visit(child, `${where}.${key}`, constructPath);
    }
  };
  for (const env of [...ENVIRONMENTS, TOOLING]) {
    for (const [stack, json] of Object.entries(synthesizedStacks(env.name))) {
      for (const [type, resources] of Object.entries((json.resource ?? {}) as Record<string, Record<string, StackJson>>)) {
        for (const [id, resource] of Object.entries(resources)) visit(resource, `${stack}.${type}.${id}`, resource["//"]?.metadata?.path ?? "");
      }
    }
  }
  return found;
}

/**
 * The identity stacks' policies read, deploy and bound by pattern (`ec2:Describe*`, `NotAction: iam:*`, the
 * boundary's `*`): __tests__/identity evaluates them with the simulator. Every other stack names each action.
 */
const isIdentity = ({ where }: FoundStatement) => where.split(".")[0].endsWith("-identity");
/**
 * VPC endpoint policies are a perimeter that every request through the endpoint must also pass, not a grant: they
 * allow a whole service on named accounts' resources (the vpc-endpoint-perimeter guardrail; simulated in the
 * network tests).
 */
const isEndpointPolicy = ({ where }: FoundStatement) => where.split(".")[1] === "aws_vpc_endpoint";
const everyStatement = policyStatements();
const statements = everyStatement.filter((found) => !isIdentity(found) && !isEndpointPolicy(found));
const actionsOf = (statement: StackJson): string[] => [statement.Action ?? [], statement.NotAction ?? []].flat();

describe("IAM actions across every synthesized stack", () => {
  it("finds the policies of every layer", () => {
    const places = new Set(statements.map(({ where }) => where.split(".")[1]));
    for (const type of ["aws_iam_role", "aws_iam_role_policy", "aws_iam_policy", "aws_kms_key", "aws_s3_bucket_policy", "aws_sqs_queue_policy", "aws_sns_topic_policy", "aws_redshift_resource_policy"]) {
      expect(places).toContain(type);
    }
  });

  it("uses only actions that exist in the AWS service authorization reference", () => {
    const unknown = statements.flatMap(({ where, statement }) =>
      actionsOf(statement)
        .filter((action) => !(statement.Effect === "Deny" && action.endsWith(":*")))
        .filter((action) => !actionExists(action))
        .map((action) => `${where}: ${action}`),
    );
    expect(unknown).toEqual([]);
  });

  it("never allows a wildcard action; full-service wildcards appear only in the TLS-only Deny statements (and the state bucket denies foreign encryption)", () => {
    const wildcards = statements
      .filter(({ statement }) => statement.Effect === "Allow")
      .flatMap(({ where, statement }) => actionsOf(statement).filter((action) => action.includes("*")).map((action) => `${where}: ${action}`));
    expect(wildcards).toEqual([]);
    const denied = statements.filter(({ statement }) => statement.Effect === "Deny").flatMap(({ statement }) => actionsOf(statement));
    // Atlantis's file system policy denies mounts without TLS or without the server's access point.
    const efsClient = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"];
    // The data perimeter denies customer objects and their key to every role but the named ones.
    const perimeter = [...CUSTOMER_OBJECT_ACTIONS, ...CUSTOMER_LISTING_ACTIONS, ...CUSTOMER_KEY_USAGE_ACTIONS];
    expect(new Set(denied)).toEqual(new Set(["s3:*", "sqs:*", "sns:Publish", "s3:PutObject", ...efsClient, ...perimeter]));
  });

  it("in the VPC endpoint policies, names only whole services and real actions", () => {
    const endpointActions = everyStatement.filter(isEndpointPolicy).flatMap(({ statement }) => actionsOf(statement));
    const interfacePerimeter = PERIMETER_INTERFACE_SERVICES.map((service) => `${service}:*`);
    expect(new Set(endpointActions)).toEqual(new Set(["s3:*", "dynamodb:*", "s3:GetObject", ...interfacePerimeter]));
    for (const action of endpointActions) expect([action, actionsMatching(action).length > 0]).toEqual([action, true]);
  });

  it("in the identity stacks, names only actions and patterns that match real actions", () => {
    const identity = everyStatement.filter(isIdentity);
    expect(new Set(identity.map(({ where }) => where.split(".")[0]))).toEqual(new Set([...ENVIRONMENTS, TOOLING].map((env) => `${env.name}-identity`)));
    const unmatched = identity.flatMap(({ where, statement }) =>
      actionsOf(statement)
        .filter((action) => action !== "*" && actionsMatching(action).length === 0)
        .map((action) => `${where}: ${action}`),
    );
    expect(unmatched).toEqual([]);
  });

  it('uses Resource "*" only in key policies (the key itself), for actions without resource-level permissions, or under a scoping condition', () => {
    // Where the guardrail is suppressed with a reason (the load balancer controller's published policy), in every environment.
    const suppressed = synthesizedSuppressions()
      .filter(({ ruleId }) => ruleId === "iam-resource-wildcard")
      .map(({ path }) => path)
      // The identity stacks' read-only, deploy and boundary policies: __tests__/identity simulates them.
      .filter((path) => !path.split("/")[0].endsWith("-identity"));
    const broad = statements
      .filter(({ statement }) => statement.Effect === "Allow")
      .filter(({ where }) => !where.split(".")[1].startsWith("aws_kms_key"))
      .map((found) => ({ ...found, unscoped: unscopedWildcardActions(found.statement) }))
      .filter(({ unscoped }) => unscoped.length > 0);
    const isSuppressed = (constructPath: string) => suppressed.some((path) => constructPath === path || constructPath.startsWith(`${path}/`));
    expect(broad.filter(({ constructPath }) => !isSuppressed(constructPath)).map(({ where, unscoped }) => `${where}: ${unscoped.join(", ")}`)).toEqual([]);
    expect(suppressed).toEqual(ENVIRONMENTS.map((env) => `${env.name}-cluster/load-balancer-controller-policy`));
    expect(new Set(broad.map(({ constructPath }) => constructPath.split("/").slice(0, 2).join("/")))).toEqual(new Set(suppressed));
  });

  it("never grants a wildcard principal without a condition", () => {
    const open = statements.filter(({ statement }) => statement.Principal === "*" && statement.Condition === undefined);
    expect(open.map(({ where }) => where)).toEqual([]);
  });
});

describe("action catalogue", () => {
  it("knows real actions and refuses invented ones", () => {
    expect(actionExists("s3:GetObject")).toBe(true);
    expect(actionExists("S3:getobject")).toBe(true);
    expect(actionExists("s3:GetObjekt")).toBe(false);
    expect(actionExists("notaservice:Anything")).toBe(false);
    expect(actionExists("s3")).toBe(false);
  });

  it('accepts Resource "*" for actions without resource-level permissions or under a scoping condition only', () => {
    expect(unscopedWildcardActions({ Action: ["ec2:DescribeInstances"], Resource: "*" })).toEqual([]);
    expect(unscopedWildcardActions({ Action: ["ec2:DeleteSecurityGroup", "ec2:DescribeInstances"], Resource: "*" })).toEqual(["ec2:DeleteSecurityGroup"]);
    expect(
      unscopedWildcardActions({ Action: "ec2:DeleteSecurityGroup", Resource: "*", Condition: { Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } } }),
    ).toEqual([]);
    expect(unscopedWildcardActions({ Action: "s3:GetObject", Resource: "*", Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } })).toEqual([
      "s3:GetObject",
    ]);
    expect(unscopedWildcardActions({ Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/*" })).toEqual([]);
  });

  it("tells which actions support no resource-level permissions", () => {
    expect(isWildcardOnlyAction("ec2:DescribeInstances")).toBe(true);
    expect(isWildcardOnlyAction("logs:DescribeLogGroups")).toBe(true);
    expect(isWildcardOnlyAction("s3:GetObject")).toBe(false);
    expect(isWildcardOnlyAction("s3:GetObjekt")).toBe(false);
  });
});
