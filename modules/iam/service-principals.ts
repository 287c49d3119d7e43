/**
 * How a policy that admits an AWS service principal confines it to the account's own resources, so that the service
 * cannot be made to act for somebody else's resource that names ours (the confused deputy problem).
 */

/** Condition keys that tie a service's request to its source: the account or resource it acts for, or the data. */
export const SOURCE_CONDITION_KEY_NAMES = ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOwner", "kms:EncryptionContext:<key>"] as const;

const SOURCE_CONDITION_KEYS = [/^aws:sourceaccount$/i, /^aws:sourcearn$/i, /^aws:sourceowner$/i, /^kms:encryptioncontext:.+$/i];

/** Services that act for a resource of the account without naming it in the request, and why admitting them is safe. */
export const UNCONFINED_SERVICE_PRINCIPALS: Readonly<Record<string, string>> = {
  "ec2.amazonaws.com":
    "an instance assumes its role through the instance profile it was launched with, and EC2 sends no source keys; attaching the role takes iam:PassRole in this account",
};

/** True when a statement's condition ties the service to a source (one of {@link SOURCE_CONDITION_KEY_NAMES}). */
export function confinesSource(condition: unknown): boolean {
  if (!condition || typeof condition !== "object") return false;
  return Object.values(condition as Record<string, Record<string, unknown>>)
    .flatMap((block) => Object.keys(block ?? {}))
    .some((key) => SOURCE_CONDITION_KEYS.some((pattern) => pattern.test(key)));
}
