/**
 * Typed IAM policy documents. Every policy in the project (identity, key, bucket, queue and trust policies) is
 * written as these statements and serialized with {@link policyDocument}, so that a reader, the guardrails and
 * the IAM tests can parse each one as plain JSON.
 */

/** One value or a list of them, as IAM accepts. */
export type OneOrMany<T> = T | readonly T[];

/** Who a resource-based or trust policy statement applies to. */
export type PolicyPrincipal =
  | "*"
  | {
      readonly AWS?: OneOrMany<string>;
      readonly Service?: OneOrMany<string>;
      readonly Federated?: OneOrMany<string>;
    };

/** Condition block: operator -> condition key -> value(s). */
export type PolicyConditions = Readonly<Record<string, Readonly<Record<string, OneOrMany<string> | boolean>>>>;

/** One IAM policy statement. */
/** What every policy statement has besides its actions and resources. */
interface StatementBase {
  /** Statement id: letters and digits only. */
  readonly Sid?: string;
  /** Allow or Deny. */
  readonly Effect: "Allow" | "Deny";
  /** Principal, for resource-based and trust policies only. */
  readonly Principal?: PolicyPrincipal;
  /** Conditions under which the statement applies. */
  readonly Condition?: PolicyConditions;
}

/**
 * One IAM policy statement: `Action` (actions, `service:Action`; full-service wildcards are refused by the IAM tests)
 * or `NotAction` (every action but these: the identity layer's "everything but IAM" and its denies), and `Resource`
 * (omitted in trust policies) or `NotResource` (every resource but these).
 */
export type PolicyStatement = StatementBase &
  ({ readonly Action: OneOrMany<string>; readonly NotAction?: never } | { readonly NotAction: OneOrMany<string>; readonly Action?: never }) &
  ({ readonly Resource?: OneOrMany<string>; readonly NotResource?: never } | { readonly NotResource: OneOrMany<string>; readonly Resource?: never });

/** Serializes statements into a policy document (Version 2012-10-17). */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  for (const statement of statements) {
    if (statement.Sid !== undefined && !/^[A-Za-z0-9]+$/.test(statement.Sid)) {
      throw new Error(`IAM statement id "${statement.Sid}" must contain only letters and digits`);
    }
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** The ARN of an account's root principal, which delegates to the account's IAM policies. */
export function accountRootArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

/** Appends the statements `list` does not already hold (two grants may need the same one, e.g. a key's decrypt). */
export function appendStatements(list: PolicyStatement[], statements: readonly PolicyStatement[]): void {
  const present = new Set(list.map((statement) => JSON.stringify(statement)));
  for (const statement of statements) {
    const key = JSON.stringify(statement);
    if (!present.has(key)) {
      list.push(statement);
      present.add(key);
    }
  }
}
