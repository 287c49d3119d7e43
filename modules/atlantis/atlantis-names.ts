/**
 * Names of the Atlantis servers' resources whose limits are the tightest: the environment schema checks them before
 * anything is built, the constructs use them.
 */

/** The two Atlantis servers: the planner (plans every pull request) and the applier (applies approved ones). */
export const ATLANTIS_SERVER_IDS = ["planner", "applier"] as const;

/** ELB names (load balancer, target group): at most 32 letters, digits and hyphens, no hyphen at either end. */
export const ELB_NAME_MAX = 32;

/** Name of the load balancer of the servers of `namePrefix`. */
export const loadBalancerName = (namePrefix: string) => `${namePrefix}-atlantis`;

/** Name of a server's target group (`<prefix>-atl-<id>`: target group names are limited to 32 characters). */
export const targetGroupName = (namePrefix: string, serverId: string) => `${namePrefix}-atl-${serverId}`;
