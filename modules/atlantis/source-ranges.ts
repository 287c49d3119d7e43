import { formatCidr, parseCidr } from "../network/cidr";

/**
 * Broadest source range the Atlantis load balancer admits: a /16. GitHub's webhook ranges (the `hooks` list of
 * `GET https://api.github.com/meta`) are /20 to /22 and operator networks are narrower; anything broader is a
 * mistake that would put the UI (which can discard plans and locks) within reach of a large part of the internet.
 */
export const MINIMUM_SOURCE_PREFIX = 16;

/**
 * Checks a list of source ranges for the public load balancer and returns it normalized (`a.b.c.d/n`, no
 * duplicates). Throws, naming `field`, on an empty list when `required`, on a malformed or IPv6 block (the load
 * balancer is IPv4 only), on `0.0.0.0/0` and on any block broader than {@link MINIMUM_SOURCE_PREFIX}.
 */
export function sourceRanges(field: string, cidrs: readonly string[], required: boolean): string[] {
  if (required && cidrs.length === 0) {
    throw new Error(`Atlantis: ${field} must list at least one source range (it is the only way in)`);
  }
  const normalized: string[] = [];
  for (const cidr of cidrs) {
    let parsed;
    try {
      parsed = parseCidr(cidr);
    } catch (error) {
      throw new Error(`Atlantis: ${field}: ${(error as Error).message} (IPv4 only: the load balancer has no IPv6 address)`, { cause: error });
    }
    if (parsed.prefix === 0) {
      throw new Error(`Atlantis: ${field} must not contain ${cidr}: it would open the Atlantis load balancer to the whole internet`);
    }
    if (parsed.prefix < MINIMUM_SOURCE_PREFIX) {
      throw new Error(`Atlantis: ${field}: ${cidr} is broader than a /${MINIMUM_SOURCE_PREFIX}; list the actual ranges`);
    }
    const text = formatCidr(parsed);
    if (!normalized.includes(text)) normalized.push(text);
  }
  return normalized;
}

/** `values` in consecutive groups of at most `size` (listener rule conditions take a few values each). */
export function chunks<T>(values: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let index = 0; index < values.length; index += size) groups.push(values.slice(index, index + size));
  return groups;
}
