import { z } from "zod";

/**
 * What a misspelled setting most likely meant: the keys a schema accepts at a path of the config, and the closest one
 * to an unknown key. Used by `loadEnvironments` to say "did you mean vpcCidr?" instead of blaming the setting the
 * misspelling left unset.
 */

/** The schema inside wrappers that do not change the shape (defaults, optionals, refinements' pipes). */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = (current as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } } })._zod.def;
    if (def.innerType && ["default", "optional", "nullable", "prefault", "catch", "readonly", "nonoptional"].includes(def.type)) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else return current;
  }
}

/** The keys the object schema at `path` (object keys and array indexes, as zod reports them) accepts, or none. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current = unwrap(schema);
  for (const segment of path) {
    if (current instanceof z.ZodObject) current = unwrap(current.shape[segment as string] as z.ZodType);
    else if (current instanceof z.ZodArray) current = unwrap(current.element as z.ZodType);
    else return [];
    if (current === undefined) return [];
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

/** Levenshtein distance, case-insensitive. */
function distance(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  let previous = Array.from({ length: y.length + 1 }, (_, index) => index);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[y.length];
}

/** The known key closest to `unknown`, when it is close enough to be a misspelling of it (a third of its letters). */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  const ranked = known.map((key) => ({ key, cost: distance(unknown, key) })).sort((a, b) => a.cost - b.cost);
  const best = ranked[0];
  return best !== undefined && best.cost <= Math.max(2, Math.floor(best.key.length / 3)) ? best.key : undefined;
}
