import { PolicyStatement } from "../iam/policy-document";

/**
 * A statement of an identity-layer policy: a {@link PolicyStatement} (often with `NotAction`, the deploy role's
 * "everything but IAM", or `NotResource`, the plan role's "no object read outside the state bucket") that always has
 * a statement id, so the tests and a reviewer can name it.
 */
export type IdentityStatement = PolicyStatement & {
  /** Statement id: letters and digits only. */
  readonly Sid: string;
};

/** Every action pattern a statement names, in `Action` or `NotAction`. */
export function statementActions(statement: IdentityStatement): string[] {
  return [statement.Action ?? statement.NotAction ?? []].flat();
}
