/** The warehouse's dashboard objects that other layers name: its schema and the procedure that refreshes it. */

/** Schema of the dashboard's materialized views and their refresh procedure. */
export const DASHBOARD_SCHEMA = "dashboard";

/** The procedure the dashboard refresh flow calls (created by the data stack's warehouse setup). */
export const REFRESH_PROCEDURE = `${DASHBOARD_SCHEMA}.refresh_views()`;

/**
 * Tenants read the dashboard as their own warehouse user, `t<tenantId>`: the front-end's tenant session may get
 * credentials for that user alone (IAM, `${aws:PrincipalTag/tenant}`), which joins this group at sign-in.
 */
export const DASHBOARD_TENANTS_GROUP = "dashboard_tenants";
export const TENANT_USER_PREFIX = "t";

/** The row-level security policy on every dashboard view: a tenant's user sees its tenant's rows, nobody else's. */
export const TENANT_ROWS_POLICY = "dashboard_tenant_rows";

/** The policy's predicate: the row's tenant is the user's name after the prefix (a user of no tenant sees nothing). */
export const TENANT_ROWS_PREDICATE = `tenant_id = SUBSTRING(current_user, ${TENANT_USER_PREFIX.length + 1})`;
