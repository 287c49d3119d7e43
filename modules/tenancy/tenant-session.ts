import { PolicyConditions } from "../iam/policy-document";

/**
 * Tenant sessions: the API and the analysis jobs touch customer data only through an STS session tagged with the
 * tenant it acts for (`tenant=<tenantId>`). The roles those sessions assume allow S3 keys under
 * `<prefix>/${aws:PrincipalTag/tenant}/` only, so a bug or an injection that names another tenant's key is refused
 * by IAM, not only by application code.
 */

/** The session tag that names the tenant a session acts for. */
export const TENANT_TAG = "tenant";

/** IAM policy variable: the calling session's tenant (`$$` is Terraform's escape, IAM receives `${aws:PrincipalTag/tenant}`). */
export const SESSION_TENANT = `$\${aws:PrincipalTag/${TENANT_TAG}}`;

/**
 * What an AssumeRole request must carry to open a tenant session: a tenant tag that is one non-empty key segment (no
 * `/`: a tenant `A/x` would otherwise be granted keys inside tenant A's prefix). STS itself refuses `*` and `?` in
 * tag values, so a tenant can never widen the key pattern it is substituted into.
 */
export const TENANT_SESSION_CONDITIONS: PolicyConditions = {
  StringLike: { [`aws:RequestTag/${TENANT_TAG}`]: "?*" },
  StringNotLike: { [`aws:RequestTag/${TENANT_TAG}`]: "*/*" },
};

/** `<prefix><tenant of the session>/`: the part of a bucket a tenant session may touch (`prefix` ends with `/`). */
export function sessionTenantPrefix(prefix: string): string {
  return `${prefix}${SESSION_TENANT}/`;
}

/** The role a workload acts on customer data with, one tenant per session: `<workload role name>-tenant`. */
export function tenantRoleName(workloadRole: string): string {
  return `${workloadRole}-tenant`;
}
