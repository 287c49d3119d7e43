import { PolicyStatement } from "../iam/policy-document";

/** S3 condition keys of a PutObject's server-side encryption request headers. */
const SSE_HEADER = "s3:x-amz-server-side-encryption";
const SSE_KEY_HEADER = "s3:x-amz-server-side-encryption-aws-kms-key-id";

/**
 * Bucket policy statements that refuse a write asking for any encryption but SSE-KMS with the bucket's key (SSE-S3,
 * another account's or another purpose's key). A write that names no encryption (a multipart part, a POST without
 * the field) gets the bucket's default, that key. `Null: false` limits each deny to requests that carry the header
 * (an ...IfExists operator would not: a negated condition on a missing key is true).
 *
 * `sid` names what is written (`State`, `Objects`): the statements are `DenyWith<sid>OtherEncryption`-style.
 */
export function writesOnlyWithKeyStatements(what: string, objectsArn: string, keyArns: readonly string[]): PolicyStatement[] {
  return [
    {
      Sid: `Deny${what}WithOtherEncryption`,
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objectsArn,
      Condition: { StringNotEquals: { [SSE_HEADER]: "aws:kms" }, Null: { [SSE_HEADER]: "false" } },
    },
    {
      Sid: `Deny${what}WithOtherKey`,
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objectsArn,
      Condition: { StringNotEquals: { [SSE_KEY_HEADER]: [...keyArns] }, Null: { [SSE_KEY_HEADER]: "false" } },
    },
  ];
}
