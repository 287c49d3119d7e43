import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IAspect } from "cdktf";
import { IConstruct } from "constructs";

/**
 * Sets the permissions boundary on every IAM role of the stack it is added to. The deploy role may create roles only
 * with this boundary (modules/identity), so a stack that forgot it could not be applied; the aspect makes it the
 * default for every role, whoever writes the construct.
 */
export class PermissionsBoundaryAspect implements IAspect {
  constructor(
    /** ARN of the boundary managed policy. */
    private readonly boundaryArn: string,
  ) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole && node.permissionsBoundaryInput === undefined) node.permissionsBoundary = this.boundaryArn;
  }
}
