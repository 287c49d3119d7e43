import { IamRole as IamRoleResource } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Lazy, TerraformResource, TerraformStack } from "cdktf";
import { dependable } from "cdktf/lib/tfExpression";
import { Construct } from "constructs";
import { PolicyStatement, appendStatements, policyDocument } from "./policy-document";

/** Something IAM permissions can be granted to: constructs' grant methods take this. */
export interface Grantable {
  /** Adds statements to the principal's own policy. */
  addToPolicy(...statements: PolicyStatement[]): void;
}

export interface IamRoleProps {
  /** Role name, `<project>-<env>-<purpose>`. */
  readonly roleName: string;
  /** What the role is for. */
  readonly description: string;
  /** Trust policy statements (who may assume the role, under which conditions). */
  readonly trust: readonly PolicyStatement[];
  /** AWS managed policies to attach, by ARN. @default none */
  readonly managedPolicyArns?: readonly string[];
  /** Statements of the role's inline policy. More can be added with `addToPolicy`. @default none */
  readonly statements?: readonly PolicyStatement[];
  /** Longest session, in seconds. @default 3600 */
  readonly maxSessionDuration?: number;
}

/**
 * An IAM role with a trust policy, optional managed policies and one inline policy that grows through
 * `addToPolicy` (what other constructs' grant methods call), so each permission is written next to the resource
 * it is about.
 *
 * Some services check a role's permissions when the resource that uses it is created (a state machine's log
 * delivery, an EKS cluster or node group, RDS Enhanced Monitoring, a Lambda function in a VPC). IAM policies are
 * separate Terraform resources, created in parallel with that resource unless it depends on them:
 * `grantsBefore(resource)` makes it wait for every policy of the role, including those added later.
 */
export class IamRole extends Construct implements Grantable {
  /** Role ARN. */
  readonly arn: string;
  /** Role name. */
  readonly name: string;
  /** The role's unique id (`AROA...`): the first half of `aws:userid` in every session of the role. */
  readonly uniqueId: string;
  private readonly statements: PolicyStatement[] = [];
  private inlinePolicy?: IamRolePolicy;
  private attachments = 0;
  /** Every policy resource of the role (inline policy, managed policy attachments). */
  private readonly policies: TerraformResource[] = [];
  /** Resources that must be created after every policy of the role. */
  private readonly consumers: TerraformResource[] = [];

  constructor(scope: Construct, id: string, props: IamRoleProps) {
    super(scope, id);
    const role = new IamRoleResource(this, "role", {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: policyDocument(props.trust),
      maxSessionDuration: props.maxSessionDuration ?? 3600,
    });
    this.arn = role.arn;
    this.name = role.name;
    this.uniqueId = role.uniqueId;
    (props.managedPolicyArns ?? []).forEach((policyArn) => this.attachManagedPolicy(policyArn));
    if (props.statements?.length) this.addToPolicy(...props.statements);
  }

  /** Attaches a managed policy (AWS managed or a `ManagedPolicy` of the project). */
  attachManagedPolicy(policyArn: string): void {
    this.addPolicyResource(new IamRolePolicyAttachment(this, `managed-${this.attachments++}`, { role: this.name, policyArn }));
  }

  addToPolicy(...statements: PolicyStatement[]): void {
    appendStatements(this.statements, statements);
    if (this.inlinePolicy === undefined) {
      this.inlinePolicy = new IamRolePolicy(this, "policy", {
        role: this.name,
        name: "least-privilege",
        policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
      });
      this.addPolicyResource(this.inlinePolicy);
    }
  }

  /**
   * `resource` depends on every policy of this role, present and future: use it for resources AWS validates the
   * role's permissions on at creation. A resource in another stack waits for this role's stack instead (its
   * policies are applied before that stack is planned).
   */
  grantsBefore(resource: TerraformResource): void {
    if (TerraformStack.of(resource) !== TerraformStack.of(this)) {
      TerraformStack.of(resource).addDependency(TerraformStack.of(this));
      return;
    }
    if (this.consumers.includes(resource)) return;
    this.consumers.push(resource);
    for (const policy of this.policies) dependOn(resource, policy);
  }

  private addPolicyResource(policy: TerraformResource): void {
    this.policies.push(policy);
    for (const consumer of this.consumers) dependOn(consumer, policy);
  }
}

/** Adds `dependency` to `resource`'s depends_on (as `dependsOn: [dependency]` in its constructor would). */
function dependOn(resource: TerraformResource, dependency: TerraformResource): void {
  resource.dependsOn = [...(resource.dependsOn ?? []), dependable(dependency)];
}

/**
 * Trust statement for an AWS service principal. With `accountId` (for services that send `aws:SourceAccount`), the
 * service may assume the role only on behalf of that account, and of `sourceArnPattern` resources when given.
 */
export function serviceTrust(service: string, accountId?: string, sourceArnPattern?: string): PolicyStatement {
  return {
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    ...(accountId
      ? {
          Condition: {
            StringEquals: { "aws:SourceAccount": accountId },
            ...(sourceArnPattern ? { ArnLike: { "aws:SourceArn": sourceArnPattern } } : {}),
          },
        }
      : {}),
  };
}
