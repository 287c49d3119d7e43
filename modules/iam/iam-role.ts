import { IamRole as IamRoleResource } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Lazy } from "cdktf";
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
 */
export class IamRole extends Construct implements Grantable {
  /** Role ARN. */
  readonly arn: string;
  /** Role name. */
  readonly name: string;
  private readonly statements: PolicyStatement[] = [];
  private inlinePolicy?: IamRolePolicy;
  private attachments = 0;

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
    (props.managedPolicyArns ?? []).forEach((policyArn) => this.attachManagedPolicy(policyArn));
    if (props.statements?.length) this.addToPolicy(...props.statements);
  }

  /** Attaches a managed policy (AWS managed or a `ManagedPolicy` of the project). */
  attachManagedPolicy(policyArn: string): void {
    new IamRolePolicyAttachment(this, `managed-${this.attachments++}`, { role: this.name, policyArn });
  }

  addToPolicy(...statements: PolicyStatement[]): void {
    appendStatements(this.statements, statements);
    this.inlinePolicy ??= new IamRolePolicy(this, "policy", {
      role: this.name,
      name: "least-privilege",
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
    });
  }
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
