import { OneOrMany, PolicyConditions, PolicyStatement } from "../iam/policy-document";

/**
 * A statement of an identity-layer policy. The identity policies need what the workload policies never do:
 * `NotAction` (the deploy role's "everything but IAM", the denies that leave only reads of a protected resource) and
 * `NotResource` (the plan role's "no object read outside the state bucket"). The shared {@link PolicyStatement} has
 * neither, so these statements are typed here and handed to `IamRole`/`ManagedPolicy` through {@link asPolicyStatements},
 * which serialize them with the same `JSON.stringify`.
 */
export type IdentityStatement = {
  /** Statement id: letters and digits only. */
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Condition?: PolicyConditions;
} & ({ readonly Action: OneOrMany<string>; readonly NotAction?: never } | { readonly NotAction: OneOrMany<string>; readonly Action?: never }) &
  ({ readonly Resource: OneOrMany<string>; readonly NotResource?: never } | { readonly NotResource: OneOrMany<string>; readonly Resource?: never });

/** The statements as the shared statement type (same JSON; see {@link IdentityStatement}). */
export function asPolicyStatements(statements: readonly IdentityStatement[]): PolicyStatement[] {
  return statements as unknown as PolicyStatement[];
}

/** Every action pattern a statement names, in `Action` or `NotAction`. */
export function statementActions(statement: IdentityStatement): string[] {
  return [statement.Action ?? statement.NotAction ?? []].flat();
}
