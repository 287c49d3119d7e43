/** The warehouse's dashboard objects that other layers name: its schema and the procedure that refreshes it. */

/** Schema of the dashboard's materialized views and their refresh procedure. */
export const DASHBOARD_SCHEMA = "dashboard";

/** The procedure the dashboard refresh flow calls (created by the data stack's warehouse setup). */
export const REFRESH_PROCEDURE = `${DASHBOARD_SCHEMA}.refresh_views()`;
