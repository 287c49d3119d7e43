import * as fs from "node:fs";
import * as path from "node:path";
import { isWildcardOnlyAction } from "../../modules/iam/action-catalog";
import { policyArnsOutsideAllowList } from "../../modules/identity/deploy-permissions";
import { IDENTITY_ROLE_KINDS, identityRoleName, workloadBoundaryName } from "../../modules/identity/identity-names";
import { TERRAFORM_TYPE_SERVICES, planReadServices } from "../../modules/identity/plan-permissions";
import { workloadBoundaryStatements } from "../../modules/identity/workload-boundary";
import { PolicyJson } from "../helpers/iam-simulation";
import { StackJson, resolveCrossStack, resourcesOf } from "../helpers/synth";
import { evaluate } from "./identity-fixture";

/**
 * The identity layer against what the stacks really synthesize (the run's global synthesis of every committed
 * environment): every AWS type a plan refreshes is readable by the plan role, every policy the stacks attach is on
 * the deploy role's allow-list, every name the stacks give an IAM resource is one the deploy role may create, and
 * the workload boundary denies none of the actions the stacks' roles are granted.
 */

interface SynthesizedEnvironment {
  readonly name: string;
  readonly accountId: string;
  readonly namePrefix: string;
  /** The tooling environment: Atlantis's account, applied by hand, no plan or deploy role. */
  readonly tooling: boolean;
  readonly stacks: Record<string, StackJson>;
}

/** Every environment of the global synthesis, with its account and name prefix read from its stacks' AWS provider. */
function synthesizedEnvironments(): SynthesizedEnvironment[] {
  const dir = process.env.PROTEOMICS_SYNTH_DIR;
  if (!dir) throw new Error("PROTEOMICS_SYNTH_DIR is not set: run the tests through jest (global-setup.ts synthesizes them)");
  const stacksDir = path.join(dir, "stacks");
  const all: Record<string, StackJson> = Object.fromEntries(
    fs.readdirSync(stacksDir).map((name) => [name, JSON.parse(fs.readFileSync(path.join(stacksDir, name, "cdk.tf.json"), "utf8"))]),
  );
  const names = [...new Set(Object.keys(all).map((stack) => stack.split("-")[0]))];
  return names.map((name) => {
    const stacks = Object.fromEntries(Object.entries(all).filter(([stack]) => stack.startsWith(`${name}-`)));
    const provider = Object.values(stacks).flatMap((stack) => [stack.provider?.aws ?? []].flat())[0];
    const tags = provider.default_tags[0].tags;
    return {
      name,
      accountId: provider.allowed_account_ids[0],
      namePrefix: `${tags.Project}-${tags.Environment}`,
      tooling: Object.keys(stacks).includes(`${name}-atlantis`),
      stacks,
    };
  });
}

const environments = synthesizedEnvironments();
const workloadEnvironments = environments.filter((env) => !env.tooling);
/** The stacks whose roles the identity layer governs: all but the identity stacks themselves. */
const governedStacks = (env: SynthesizedEnvironment) => Object.entries(env.stacks).filter(([name]) => name !== `${env.name}-identity`);

describe("the plan role reads every AWS type the stacks use", () => {
  it("finds the synthesized workload environments", () => {
    expect(workloadEnvironments.length).toBeGreaterThan(0);
  });

  it("maps every aws_* resource and data source type to the services its refresh reads (modules/identity/plan-permissions.ts)", () => {
    const unmapped = workloadEnvironments.flatMap((env) =>
      Object.entries(env.stacks).flatMap(([stack, json]) =>
        [...Object.keys(json.resource ?? {}), ...Object.keys(json.data ?? {})]
          .filter((type) => type.startsWith("aws_") && !(type in TERRAFORM_TYPE_SERVICES))
          .map((type) => `${stack}: ${type}`),
      ),
    );
    expect(unmapped).toEqual([]);
  });

  it("reads every service the map names", () => {
    const services = planReadServices();
    for (const listed of Object.values(TERRAFORM_TYPE_SERVICES).flat()) expect(services).toContain(listed);
  });
});

describe("the deploy role may create what the stacks create", () => {
  /** Every policy ARN attached to a role in `stack`, references to the stack's own policies resolved to their ARNs. */
  function attachedPolicyArns(env: SynthesizedEnvironment, stack: StackJson): string[] {
    const policies = resourcesOf(stack, "aws_iam_policy");
    return Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment")).map((attachment) => {
      const arn = resolveCrossStack(env.stacks, String(attachment.policy_arn));
      const reference = /^\$\{aws_iam_policy\.([^.]+)\.arn\}$/.exec(arn);
      return reference && policies[reference[1]] ? `arn:aws:iam::${env.accountId}:policy/${policies[reference[1]].name}` : arn;
    });
  }

  it("attaches only allow-listed AWS managed policies and the environment's own", () => {
    const outside = workloadEnvironments.flatMap((env) =>
      governedStacks(env).flatMap(([name, stack]) => policyArnsOutsideAllowList(attachedPolicyArns(env, stack), env.accountId, env.namePrefix).map((arn) => `${name}: ${arn}`)),
    );
    expect(outside).toEqual([]);
    expect(workloadEnvironments.flatMap((env) => governedStacks(env).flatMap(([, stack]) => attachedPolicyArns(env, stack))).length).toBeGreaterThan(10);
  });

  it("names every role, policy and instance profile <prefix>-*, never an identity role's or the boundary's name, and creates no identity provider or user", () => {
    const problems = workloadEnvironments.flatMap((env) => {
      const reserved = [...IDENTITY_ROLE_KINDS.map((kind) => identityRoleName(env.namePrefix, kind)), workloadBoundaryName(env.namePrefix)];
      return governedStacks(env).flatMap(([name, stack]) => [
        ...["aws_iam_role", "aws_iam_policy", "aws_iam_instance_profile"].flatMap((type) =>
          Object.values(resourcesOf(stack, type))
            .filter((resource) => typeof resource.name !== "string" || !resource.name.startsWith(`${env.namePrefix}-`) || reserved.includes(resource.name) || resource.path !== undefined)
            .map((resource) => `${name}: ${type} ${resource.name ?? resource.name_prefix}`),
        ),
        ...["aws_iam_openid_connect_provider", "aws_iam_saml_provider", "aws_iam_user", "aws_iam_group", "aws_iam_access_key"].filter((type) => type in (stack.resource ?? {})).map((type) => `${name}: ${type}`),
      ]);
    });
    expect(problems).toEqual([]);
  });
});

describe("the workload boundary leaves the stacks' roles what their policies grant", () => {
  const IDENTITY_POLICY_TYPES = ["aws_iam_role_policy", "aws_iam_policy"];

  /** Where a statement's action applies, as the simulator can take it. */
  function resourcesFor(env: SynthesizedEnvironment, action: string, statement: StackJson): string[] {
    const [service] = action.split(":");
    if (!["iam", "sts"].includes(service) || isWildcardOnlyAction(action)) return ["*"];
    return [statement.Resource ?? "*"].flat().map((resource: string) => {
      if (resource.includes("${")) {
        // The stacks' IAM statements refer to roles only (iam:PassRole of a node or job role).
        if (action === "iam:PassRole" || service === "sts") return `arn:aws:iam::${env.accountId}:role/${env.namePrefix}-workload`;
        throw new Error(`${action} on ${resource}: give the test a sample ARN for this reference`);
      }
      if (resource === "*" && action === "iam:CreateServiceLinkedRole") {
        const serviceName = statement.Condition?.StringEquals?.["iam:AWSServiceName"] ?? statement.Condition?.StringLike?.["iam:AWSServiceName"] ?? "service.amazonaws.com";
        return `arn:aws:iam::${env.accountId}:role/aws-service-role/${[serviceName].flat()[0]}/AWSServiceRole`;
      }
      if (resource === "*") {
        // IAM reads are never denied; any other write on "*" needs the resource it is for.
        if (/^iam:(Get|List)/.test(action)) return "*";
        throw new Error(`${action} on "*": give the test the resource this IAM write is for`);
      }
      return resource.replace(/\*/g, "sample");
    });
  }

  it("denies none of the actions of any identity policy of any stack (every environment, tooling included)", async () => {
    const denied: string[] = [];
    let checked = 0;
    for (const env of environments) {
      const boundary: PolicyJson = { Version: "2012-10-17", Statement: workloadBoundaryStatements(env.accountId, env.namePrefix) as unknown as PolicyJson["Statement"] };
      const principal = `arn:aws:iam::${env.accountId}:role/${env.namePrefix}-workload`;
      const requests = new Map<string, { action: string; resource: string; where: string }>();
      for (const [name, stack] of governedStacks(env)) {
        for (const type of IDENTITY_POLICY_TYPES) {
          for (const [id, resource] of Object.entries(resourcesOf(stack, type))) {
            for (const statement of JSON.parse(resource.policy).Statement.filter((each: StackJson) => each.Effect === "Allow")) {
              for (const action of [statement.Action].flat() as string[]) {
                for (const target of resourcesFor(env, action, statement)) requests.set(`${action} ${target}`, { action, resource: target, where: `${name}.${type}.${id}` });
              }
            }
          }
        }
      }
      for (const { action, resource, where } of requests.values()) {
        const identity: PolicyJson = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] };
        const result = await evaluate({ principal, action, resource, resourceAccount: env.accountId }, { identity: [identity], boundary });
        checked++;
        if (result !== "Allowed") denied.push(`${where}: ${action} on ${resource}: ${result}`);
      }
    }
    expect(denied).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });
});
