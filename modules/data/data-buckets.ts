import { Construct } from "constructs";
import { EncryptionKey } from "../kms/kms-key";
import { AccessLogBucket } from "../storage/access-log-bucket";
import { SecureBucket } from "../storage/secure-bucket";

export interface DataBucketsProps {
  /** Resource name prefix, `<project>-<env>`; buckets are `<prefix>-<purpose>-<account>`. */
  readonly namePrefix: string;
  /** Account that owns the buckets (part of their globally unique names). */
  readonly accountId: string;
  /** Key of every data bucket. */
  readonly encryptionKey: EncryptionKey;
  /** Origins of the web application, allowed to PUT uploads with presigned URLs. */
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
  /** Adds Terraform `prevent_destroy` to every bucket. */
  readonly preventDestroy: boolean;
}

/**
 * The platform's buckets: `uploads` (raw files laid out `<tenant>/<sample>/<protein-file>`, written by browsers
 * through presigned URLs), `results` (analysis outputs), `work` (Batch scratch, short-lived) and `access-logs`
 * (server access logs of the other three). Every data bucket sends object events to EventBridge.
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
      accessLogs: this.accessLogs,
      noncurrentVersionDays: props.noncurrentVersionDays,
      eventBridgeNotifications: true,
      preventDestroy: props.preventDestroy,
    };
    this.uploads = new SecureBucket(this, "uploads", {
      ...common,
      bucketName: name("uploads"),
      cors: { allowedOrigins: props.uploadCorsOrigins, allowedMethods: ["PUT"] },
      transitions: [
        { days: props.uploadsInfrequentAccessDays, storageClass: "STANDARD_IA" },
        { days: props.uploadsArchiveDays, storageClass: "GLACIER_IR" },
      ],
    });
    this.results = new SecureBucket(this, "results", { ...common, bucketName: name("results") });
    this.work = new SecureBucket(this, "work", { ...common, bucketName: name("work"), expirationDays: props.workExpirationDays });
  }
}
