import { PolicyStatement } from "../iam/policy-document";

/**
 * The data perimeter of customer data: the buckets that hold it, and the key that encrypts it, refuse every principal
 * of the account but the named roles, whatever IAM policies grant. An administrator with `s3:*` and `kms:*`, a node
 * role reached through `ssm:SendCommand`, or a role someone adds later cannot read an upload: only the workloads'
 * tenant sessions, the few services that must see every tenant's objects, and break-glass.
 */

/** The tag that marks a bucket as holding customer data (the `customer-data-perimeter` guardrail looks for it). */
export const DATA_CLASS_TAG = "DataClass";
export const CUSTOMER_DATA_CLASS = "customer";

/** Every S3 action that reads, writes or deletes objects, their versions or tags: what the perimeter refuses. */
export const CUSTOMER_OBJECT_ACTIONS = [
  "s3:GetObject",
  "s3:GetObjectVersion",
  "s3:GetObjectAttributes",
  "s3:GetObjectVersionAttributes",
  "s3:GetObjectTagging",
  "s3:GetObjectVersionTagging",
  "s3:PutObject",
  "s3:PutObjectTagging",
  "s3:PutObjectVersionTagging",
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:DeleteObjectTagging",
  "s3:DeleteObjectVersionTagging",
  "s3:RestoreObject",
  "s3:ListMultipartUploadParts",
  "s3:AbortMultipartUpload",
  "s3:ReplicateObject",
] as const;

/**
 * Listing the bucket (keys name tenants, analyses and files). `s3:ListBucket` is also what HeadBucket needs, which
 * Terraform calls to read the bucket: the plan and deploy roles may list, and still read no object.
 */
export const CUSTOMER_LISTING_ACTIONS = ["s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"] as const;

/** Who the perimeter of a bucket or key admits. */
export interface CustomerDataPrincipals {
  /** Roles that may read and write objects (and use the key). */
  readonly roleArns: readonly string[];
  /** Roles that may, besides those, list the bucket and nothing more: the plan and deploy roles. */
  readonly listerArns: readonly string[];
}

/** Cryptographic uses of the customer objects' key: what its perimeter refuses (administration stays with IAM). */
export const CUSTOMER_KEY_USAGE_ACTIONS = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"] as const;

/** Sids of the perimeter statements, in bucket and key policies. */
export const DATA_PERIMETER_SID = "OnlyNamedRolesTouchObjects";
export const LISTING_PERIMETER_SID = "OnlyNamedRolesListObjects";

/**
 * The bucket policy statements: deny object access, and listing, to every principal whose role is not listed (ARNs,
 * or ARN patterns such as an Identity Center permission set's role). Used for customer data and for Terraform state.
 */
export function bucketPerimeterStatements(bucketArn: string, principals: CustomerDataPrincipals): PolicyStatement[] {
  return [
    {
      Sid: DATA_PERIMETER_SID,
      Effect: "Deny",
      Principal: "*",
      Action: CUSTOMER_OBJECT_ACTIONS,
      Resource: `${bucketArn}/*`,
      Condition: { ArnNotLike: { "aws:PrincipalArn": [...principals.roleArns] } },
    },
    {
      Sid: LISTING_PERIMETER_SID,
      Effect: "Deny",
      Principal: "*",
      Action: CUSTOMER_LISTING_ACTIONS,
      Resource: bucketArn,
      Condition: { ArnNotLike: { "aws:PrincipalArn": [...principals.roleArns, ...principals.listerArns] } },
    },
  ];
}

/**
 * The key policy statement: deny cryptographic use of the key to every principal whose role is not listed. A call a
 * service makes on its own account through a grant (DynamoDB refreshing a table's key, backups) has no principal ARN
 * and is left to the grant (`aws:PrincipalIsAWSService`); a call it makes on a caller's behalf (S3 or DynamoDB with
 * forward access sessions) is the caller's, and is checked.
 */
export function keyPerimeterStatement(roleArns: readonly string[]): PolicyStatement {
  return {
    Sid: DATA_PERIMETER_SID,
    Effect: "Deny",
    Principal: "*",
    Action: CUSTOMER_KEY_USAGE_ACTIONS,
    Resource: "*",
    Condition: { ArnNotLike: { "aws:PrincipalArn": [...roleArns] }, BoolIfExists: { "aws:PrincipalIsAWSService": "false" } },
  };
}
