import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { Grantable } from "./iam-role";
import { PolicyStatement, appendStatements, policyDocument } from "./policy-document";

export interface RoleGrantsProps {
  /** Name of an existing role (typically another stack's). */
  readonly roleName: string;
  /** Name of the inline policy these grants form; unique on the role. */
  readonly policyName: string;
}

/**
 * Grants given to a role that lives in another stack, written as an inline policy of that role but owned by this
 * stack. A stack that depends on the role's stack uses it so the role's stack does not depend back on it (as
 * `IamRole.addToPolicy` would make it).
 */
export class RoleGrants extends Construct implements Grantable {
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: RoleGrantsProps) {
    super(scope, id);
    new IamRolePolicy(this, "policy", {
      role: props.roleName,
      name: props.policyName,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
    });
  }

  addToPolicy(...statements: PolicyStatement[]): void {
    appendStatements(this.statements, statements);
  }
}
