import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketCorsConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-cors-configuration";
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { ITerraformDependable, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { Grantable } from "../iam/iam-role";
import { PolicyStatement, policyDocument } from "../iam/policy-document";
import { EncryptionKey } from "../kms/kms-key";
import { CUSTOMER_DATA_CLASS, CustomerDataPrincipals, DATA_CLASS_TAG, bucketPerimeterStatements } from "./data-perimeter";
import { writesOnlyWithKeyStatements } from "./encryption-statements";

/** A lifecycle transition of current objects to a cheaper storage class. */
export interface StorageTransition {
  /** Days after creation. */
  readonly days: number;
  /** Target class, e.g. `STANDARD_IA`, `GLACIER_IR`, `INTELLIGENT_TIERING`. */
  readonly storageClass: string;
}

/** CORS for browsers that upload directly with presigned URLs. */
export interface BucketCors {
  /** Origins allowed, e.g. `https://app.example.com`. */
  readonly allowedOrigins: readonly string[];
  /** Methods allowed. */
  readonly allowedMethods: readonly string[];
}

/** A customer data bucket's protection: its data perimeter, and how long a presigned request stays valid. */
export interface CustomerDataProtection extends CustomerDataPrincipals {
  /** Oldest signature of a presigned request the bucket accepts, seconds. */
  readonly maxSignatureAgeSeconds: number;
}

export interface SecureBucketProps {
  /** Full, globally unique bucket name. */
  readonly bucketName: string;
  /**
   * Customer-managed key for SSE-KMS with an S3 bucket key; `"S3_MANAGED"` (SSE-S3) only where the writing service
   * cannot use KMS, with the `s3-sse-kms` guardrail suppressed by the caller.
   */
  readonly encryption: EncryptionKey | "S3_MANAGED";
  /** Bucket that receives this bucket's server access logs. @default none (only for a log bucket itself) */
  readonly accessLogs?: SecureBucket;
  /** Days before a noncurrent object version is deleted. @default 90 */
  readonly noncurrentVersionDays?: number;
  /** Days before an unfinished multipart upload is aborted. @default 7 */
  readonly abortIncompleteUploadDays?: number;
  /** Transitions of current objects to cheaper classes. @default none */
  readonly transitions?: readonly StorageTransition[];
  /** Days after which current objects expire. @default never */
  readonly expirationDays?: number;
  /** Sends object events to EventBridge. @default false */
  readonly eventBridgeNotifications?: boolean;
  /** CORS rule for browser uploads. @default none */
  readonly cors?: BucketCors;
  /** Statements added to the bucket policy after the TLS-only denies. @default none */
  readonly policyStatements?: readonly PolicyStatement[];
  /**
   * Who may touch this bucket's objects, when it holds customer data: every other principal is denied
   * (`data-perimeter.ts`), and the bucket is tagged `DataClass=customer`. @default none (not customer data)
   */
  readonly customerData?: CustomerDataProtection;
  /**
   * Object Lock in compliance mode: every new object version is kept this many days, and nobody, the account's root
   * included, can delete it or shorten its retention before then (an audit log bucket). Set at creation only.
   * @default none
   */
  readonly objectLockDays?: number;
  /** Adds Terraform `prevent_destroy` to the bucket. @default true */
  readonly preventDestroy?: boolean;
}

/**
 * An S3 bucket with the project's baseline: SSE-KMS with a bucket key (SSE-C uploads blocked), versioning, all
 * four public access block flags, BucketOwnerEnforced (no ACLs), a policy that refuses non-TLS and pre-TLS-1.2
 * requests, server access logs, and a lifecycle that aborts unfinished uploads and expires noncurrent versions.
 * Grant methods write least-privilege IAM for the bucket (and its key) into a grantee's policy.
 */
export class SecureBucket extends Construct {
  /** Bucket name. */
  readonly name: string;
  /** Bucket ARN. */
  readonly arn: string;
  /** The bucket policy, for resources that need it in place first (log delivery). */
  readonly policy: ITerraformDependable;
  private readonly key?: EncryptionKey;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: false,
      objectLockEnabled: props.objectLockDays !== undefined ? true : undefined,
      tags: props.customerData ? { [DATA_CLASS_TAG]: CUSTOMER_DATA_CLASS } : undefined,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.name = bucket.bucket;
    this.arn = bucket.arn;
    this.key = props.encryption === "S3_MANAGED" ? undefined : props.encryption;

    const versioning = new S3BucketVersioningA(this, "versioning", {
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    if (props.objectLockDays !== undefined) {
      new S3BucketObjectLockConfigurationA(this, "object-lock", {
        bucket: bucket.id,
        rule: { defaultRetention: { mode: "COMPLIANCE", days: props.objectLockDays } },
        dependsOn: [versioning],
      });
    }
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: bucket.id,
      rule: [
        this.key
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn },
              bucketKeyEnabled: true,
              blockedEncryptionTypes: ["SSE-C"],
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, blockedEncryptionTypes: ["SSE-C"] },
      ],
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket: bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket: bucket.id,
      policy: policyDocument([
        ...transportSecurityStatements(bucket.arn),
        ...(props.customerData ? customerDataStatements(bucket.arn, props.customerData, this.key) : []),
        ...(props.policyStatements ?? []),
      ]),
      // A policy put before the public access block exists could be judged public; order them.
      dependsOn: [publicAccessBlock],
    });

    if (props.accessLogs) {
      new S3BucketLoggingA(this, "access-logging", {
        bucket: bucket.id,
        targetBucket: props.accessLogs.name,
        targetPrefix: `${props.bucketName}/`,
        targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
        // Deliveries need the log bucket's policy. In another stack (applied before this one) there is nothing to
        // order, and Terraform refuses a depends_on on a remote state output.
        dependsOn: TerraformStack.of(props.accessLogs) === TerraformStack.of(this) ? [props.accessLogs.policy] : undefined,
      });
    }
    if (props.eventBridgeNotifications) {
      new S3BucketNotification(this, "notifications", { bucket: bucket.id, eventbridge: true });
    }
    if (props.cors) {
      new S3BucketCorsConfiguration(this, "cors", {
        bucket: bucket.id,
        corsRule: [
          {
            allowedOrigins: [...props.cors.allowedOrigins],
            allowedMethods: [...props.cors.allowedMethods],
            allowedHeaders: ["Content-Type", "Content-MD5", "x-amz-*"],
            // Multipart uploads need each part's ETag back in the browser.
            exposeHeaders: ["ETag"],
            maxAgeSeconds: 3000,
          },
        ],
      });
    }

    const everything = [{ prefix: "" }];
    const rules: S3BucketLifecycleConfigurationRule[] = [
      {
        id: "abort-incomplete-multipart-uploads",
        status: "Enabled",
        filter: everything,
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteUploadDays ?? 7 }],
      },
      {
        id: "expire-noncurrent-versions",
        status: "Enabled",
        filter: everything,
        noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 90 }],
        expiration: [{ expiredObjectDeleteMarker: true }],
      },
    ];
    if (props.transitions?.length) {
      rules.push({
        id: "transition-current-objects",
        status: "Enabled",
        filter: everything,
        transition: props.transitions.map((transition) => ({ days: transition.days, storageClass: transition.storageClass })),
      });
    }
    if (props.expirationDays !== undefined) {
      rules.push({ id: "expire-current-objects", status: "Enabled", filter: everything, expiration: [{ days: props.expirationDays }] });
    }
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: bucket.id,
      rule: rules,
      // S3 rejects noncurrent-version rules until versioning is on.
      dependsOn: [versioning],
    });
  }

  /** Lets `grantee` list and read objects under `prefix` (and decrypt them). */
  grantRead(grantee: Grantable, prefix = "", options: { readonly onlyTagged?: { readonly key: string; readonly value: string } } = {}): void {
    const { onlyTagged } = options;
    grantee.addToPolicy(this.listStatement(prefix), {
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: this.objects(prefix),
      ...(onlyTagged ? { Condition: { StringEquals: { [`s3:ExistingObjectTag/${onlyTagged.key}`]: onlyTagged.value } } } : {}),
    });
    this.grantKey(grantee, ["kms:Decrypt"]);
  }

  /** Lets `grantee` write objects under `prefix` (single and multipart uploads, including presigned ones it signs). */
  grantPut(grantee: Grantable, prefix = ""): void {
    grantee.addToPolicy({
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      Resource: this.objects(prefix),
    });
    // Completing a multipart upload decrypts the parts' data keys.
    this.grantKey(grantee, ["kms:Decrypt", "kms:GenerateDataKey"]);
  }

  /** Lets `grantee` list, read, write and delete objects under `prefix`. */
  grantReadWrite(grantee: Grantable, prefix = ""): void {
    this.grantRead(grantee, prefix);
    this.grantPut(grantee, prefix);
    grantee.addToPolicy({ Effect: "Allow", Action: "s3:DeleteObject", Resource: this.objects(prefix) });
  }

  private objects(prefix: string): string {
    return `${this.arn}/${prefix}*`;
  }

  private listStatement(prefix: string): PolicyStatement {
    return {
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: this.arn,
      ...(prefix ? { Condition: { StringLike: { "s3:prefix": `${prefix}*` } } } : {}),
    };
  }

  private grantKey(grantee: Grantable, actions: string[]): void {
    if (this.key) grantee.addToPolicy({ Effect: "Allow", Action: actions, Resource: this.key.arn });
  }
}

/**
 * What a customer data bucket adds: the data perimeter, writes only with its key, and presigned requests that expire
 * (a leaked URL is good for minutes, not for the days a signature could otherwise last).
 */
function customerDataStatements(bucketArn: string, protection: CustomerDataProtection, key: EncryptionKey | undefined): PolicyStatement[] {
  if (!key) throw new Error(`${bucketArn}: a bucket of customer data is encrypted with a customer-managed key`);
  const objects = `${bucketArn}/*`;
  return [
    ...bucketPerimeterStatements(bucketArn, protection),
    ...writesOnlyWithKeyStatements("Objects", objects, [key.arn]),
    {
      Sid: "PresignedRequestsExpire",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:GetObject", "s3:PutObject"],
      Resource: objects,
      Condition: { NumericGreaterThan: { "s3:signatureAge": String(protection.maxSignatureAgeSeconds * 1000) } },
    },
  ];
}

/** Deny every request that is not over TLS 1.2 or later. */
function transportSecurityStatements(bucketArn: string): PolicyStatement[] {
  const everything = [bucketArn, `${bucketArn}/*`];
  return [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: everything,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "DenyOutdatedTls",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: everything,
      Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
    },
  ];
}
