/**
 * A read-only view of one synthesized stack (the Terraform JSON that cdktf writes), with the look-ups the
 * guardrail rules need: resources by type, providers, and which resources refer to which.
 */

/** One resource (or data source, or provider) of the synthesized JSON. */
export interface SynthesizedResource {
  /** Terraform type, e.g. `aws_s3_bucket`. */
  readonly type: string;
  /** Terraform address, e.g. `aws_s3_bucket.state_bucket_1A2B3C4D`. */
  readonly address: string;
  /** The resource's arguments as synthesized (blocks are objects or arrays of objects). */
  readonly values: Readonly<Record<string, unknown>>;
}

type TerraformJson = {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly provider?: Record<string, Array<Record<string, unknown>>>;
};

export class SynthesizedStack {
  constructor(
    /** Stack name, e.g. `dev-state`. */
    readonly name: string,
    private readonly json: TerraformJson,
  ) {}

  /** Every resource of the given type. */
  resources(type: string): SynthesizedResource[] {
    return Object.entries(this.json.resource?.[type] ?? {}).map(([name, values]) => ({
      type,
      address: `${type}.${name}`,
      values,
    }));
  }

  /** Every configuration of the given provider (one per alias). */
  providers(type: string): SynthesizedResource[] {
    return (this.json.provider?.[type] ?? []).map((values) => ({
      type,
      address: typeof values.alias === "string" ? `provider.${type}.${values.alias}` : `provider.${type}`,
      values,
    }));
  }

  /** Resources of `type` whose `attribute` refers to `target` (e.g. the versioning of a bucket). */
  referencing(type: string, attribute: string, target: SynthesizedResource): SynthesizedResource[] {
    return this.resources(type).filter((resource) => refersTo(resource.values[attribute], target));
  }
}

/** True when `value` is a Terraform expression that reads an attribute of `target`. */
export function refersTo(value: unknown, target: SynthesizedResource): boolean {
  return typeof value === "string" && value.includes(`\${${target.address}.`);
}

/** A nested block as a list, whether cdktf wrote it as an object or an array of objects. */
export function blocks(value: unknown): Array<Record<string, unknown>> {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter(
    (item): item is Record<string, unknown> => typeof item === "object" && item !== null,
  );
}

/** True when `value` is a non-empty string (a literal or a reference). */
export function isSet(value: unknown): boolean {
  return typeof value === "string" && value.length > 0;
}

/** A policy statement as found in a synthesized policy document. */
export type PolicyStatementJson = Readonly<Record<string, unknown>>;

/** Parses a policy document written as a JSON string; undefined when it is an expression or not JSON. */
export function parsePolicy(value: unknown): { readonly Statement?: readonly PolicyStatementJson[] } | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const document = JSON.parse(value);
    return { Statement: [document.Statement ?? []].flat() };
  } catch {
    return undefined;
  }
}

/** A field of a statement that IAM accepts as one value or a list, as a list. */
export function asList(value: unknown): string[] {
  return value === undefined ? [] : ([value].flat() as string[]);
}
