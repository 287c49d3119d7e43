import { Construct } from "constructs";
import { EncryptionKey } from "../kms/kms-key";
import { MANIFEST_PREFIX } from "../pipeline/analysis-contract";
import { AccessLogBucket } from "../storage/access-log-bucket";
import { CustomerDataProtection, SecureBucket } from "../storage/secure-bucket";

export interface DataBucketsProps {
  /** Resource name prefix, `<project>-<env>`; buckets are `<prefix>-<purpose>-<account>`. */
  readonly namePrefix: string;
  /** Account that owns the buckets (part of their globally unique names). */
  readonly accountId: string;
  /** Key of every data bucket: the customer objects' key. */
  readonly encryptionKey: EncryptionKey;
  /** The only roles that may touch the data buckets' objects, those that may only list them, and presigned requests' age. */
  readonly customerData: CustomerDataProtection;
  /** Origins of the web application, allowed to POST uploads with presigned POST policies. */
  readonly uploadCorsOrigins: readonly string[];
  /** Days before raw uploads move to Standard-IA. */
  readonly uploadsInfrequentAccessDays: number;
  /** Days before raw uploads move to Glacier Instant Retrieval. */
  readonly uploadsArchiveDays: number;
  /** Days before Batch scratch objects expire. */
  readonly workExpirationDays: number;
  /** Days noncurrent versions are kept. */
  readonly noncurrentVersionDays: number;
  /** Days server access logs are kept. */
  readonly accessLogRetentionDays: number;
  /** The only principal that may write analysis manifests (`manifests/` of the uploads bucket): the API's tenant role. */
  readonly manifestWriterRoleArn: string;
  /** Adds Terraform `prevent_destroy` to every bucket. */
  readonly preventDestroy: boolean;
}

/**
 * The platform's buckets, laid out tenant first (modules/pipeline/analysis-contract.ts): `uploads` (protein files
 * under `uploads/<tenant>/`, written by browsers through the API's presigned POSTs, and the analyses' manifests under
 * `manifests/<tenant>/`, written by the API alone), `results` (analysis outputs), `work` (Batch scratch, short-lived)
 * and `access-logs` (server access logs of the other three). Every data bucket sends object events to EventBridge.
 */
export class DataBuckets extends Construct {
  readonly uploads: SecureBucket;
  readonly results: SecureBucket;
  readonly work: SecureBucket;
  readonly accessLogs: AccessLogBucket;

  constructor(scope: Construct, id: string, props: DataBucketsProps) {
    super(scope, id);
    const name = (purpose: string) => `${props.namePrefix}-${purpose}-${props.accountId}`;
    this.accessLogs = new AccessLogBucket(this, "access-logs", {
      bucketName: name("access-logs"),
      accountId: props.accountId,
      sourceBucketPattern: `${props.namePrefix}-*`,
      retentionDays: props.accessLogRetentionDays,
      preventDestroy: props.preventDestroy,
    });
    const common = {
      encryption: props.encryptionKey,
      customerData: props.customerData,
      accessLogs: this.accessLogs,
      noncurrentVersionDays: props.noncurrentVersionDays,
      eventBridgeNotifications: true,
      preventDestroy: props.preventDestroy,
    };
    const manifests = `arn:aws:s3:::${name("uploads")}/${MANIFEST_PREFIX}*`;
    const uploads = `arn:aws:s3:::${name("uploads")}/*`;
    this.uploads = new SecureBucket(this, "uploads", {
      ...common,
      bucketName: name("uploads"),
      // A manifest decides which files an analysis reads and which tenant pays: only the API writes one, with its own
      // credentials, never through a presigned URL it handed to a browser.
      policyStatements: [
        {
          Sid: "OnlyTheApiWritesManifests",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:PutObject",
          Resource: manifests,
          Condition: { ArnNotEquals: { "aws:PrincipalArn": props.manifestWriterRoleArn } },
        },
        {
          // Browsers upload with presigned POSTs, whose signed policy bounds the key, the size and the content type
          // (analysis-contract.ts); a presigned PUT bounds none of them, so none is accepted anywhere in the bucket.
          Sid: "NoPresignedPuts",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:PutObject",
          Resource: uploads,
          Condition: { StringEquals: { "s3:authType": "REST-QUERY-STRING" } },
        },
        {
          Sid: "NoBrowserManifestWrites",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:PutObject",
          Resource: manifests,
          Condition: { StringEquals: { "s3:authType": ["REST-QUERY-STRING", "POST"] } },
        },
      ],
      cors: { allowedOrigins: props.uploadCorsOrigins, allowedMethods: ["POST"] },
      transitions: [
        { days: props.uploadsInfrequentAccessDays, storageClass: "STANDARD_IA" },
        { days: props.uploadsArchiveDays, storageClass: "GLACIER_IR" },
      ],
    });
    this.results = new SecureBucket(this, "results", { ...common, bucketName: name("results") });
    this.work = new SecureBucket(this, "work", { ...common, bucketName: name("work"), expirationDays: props.workExpirationDays });
  }
}
