import { Construct } from "constructs";
import { Grantable, IamRole } from "../iam/iam-role";
import { PolicyStatement } from "../iam/policy-document";
import { TENANT_SESSION_CONDITIONS } from "./tenant-session";

export interface TenantScopedRoleProps {
  /** Role name, `<workload role name>-tenant`. */
  readonly roleName: string;
  /** What the workload does with its tenant sessions. */
  readonly description: string;
  /** The workload's own role (Pod Identity, Batch job role): the only principal that may open tenant sessions. */
  readonly assumedBy: Grantable & { readonly arn: string };
}

/**
 * The role a workload acts on customer data with, one tenant at a time: its workload role assumes it with the session
 * tag `tenant=<tenantId>`, and grants to this role name keys under `${aws:PrincipalTag/tenant}` (see
 * `sessionTenantPrefix`). The workload role itself gets no data access, only the right to open these sessions.
 *
 * Chained sessions last at most one hour; the AWS SDKs refresh them (`fromTemporaryCredentials` in JavaScript,
 * `AssumeRoleCredentialFetcher`-style refreshable credentials in boto3) with the same tag.
 */
export class TenantScopedRole extends Construct implements Grantable {
  /** Role ARN: what the workload's `TENANT_ROLE_ARN` names. */
  readonly arn: string;
  /** Role name. */
  readonly name: string;
  private readonly role: IamRole;

  constructor(scope: Construct, id: string, props: TenantScopedRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      roleName: props.roleName,
      description: props.description,
      trust: [
        {
          Sid: "TenantSessionsOfTheWorkload",
          Effect: "Allow",
          Principal: { AWS: props.assumedBy.arn },
          Action: ["sts:AssumeRole", "sts:TagSession"],
          Condition: TENANT_SESSION_CONDITIONS,
        },
      ],
    });
    this.arn = this.role.arn;
    this.name = this.role.name;
    props.assumedBy.addToPolicy({
      Effect: "Allow",
      Action: ["sts:AssumeRole", "sts:TagSession"],
      Resource: this.role.arn,
      Condition: TENANT_SESSION_CONDITIONS,
    });
  }

  addToPolicy(...statements: PolicyStatement[]): void {
    this.role.addToPolicy(...statements);
  }
}
