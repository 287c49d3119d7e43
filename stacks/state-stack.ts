import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { EnvironmentConfig } from "../environments";
import { EncryptionKey } from "../modules/kms/kms-key";
import { StateLockTable } from "../modules/state/state-lock-table";
import { lockTableName } from "../modules/state/state-backend";
import { AccessLogBucket } from "../modules/storage/access-log-bucket";
import { SecureBucket } from "../modules/storage/secure-bucket";
import { EnvironmentStack } from "./environment-stack";

/**
 * `<env>-state`: the environment's Terraform state bucket, lock table and their KMS key. It bootstraps with a
 * local backend and moves into its own bucket once `state.bootstrapComplete` is set (docs/provisioning.md).
 */
export class StateStack extends EnvironmentStack {
  /** The state bucket. */
  readonly bucket: SecureBucket;
  /** Server access logs of the state bucket. */
  readonly accessLogs: AccessLogBucket;
  /** The lock table. */
  readonly lockTable: StateLockTable;
  /** The key that encrypts both. */
  readonly key: EncryptionKey;

  constructor(scope: Construct, env: EnvironmentConfig) {
    super(scope, "state", env, { localBackend: !env.state.bootstrapComplete });

    this.key = new EncryptionKey(this, "state-key", {
      namePrefix: this.namePrefix,
      purpose: "terraform-state",
      description: `Encrypts the Terraform state bucket and lock table of ${env.name}`,
      accountId: env.awsAccountId,
      region: env.region,
      viaServices: ["s3", "dynamodb"],
    });
    const accessLogsBucketName = `${this.namePrefix}-tfstate-logs-${env.awsAccountId}`;
    this.accessLogs = new AccessLogBucket(this, "access-logs", {
      bucketName: accessLogsBucketName,
      accountId: env.awsAccountId,
      sourceBucketPattern: env.state.bucketName,
      retentionDays: env.state.accessLogRetentionDays,
    });
    this.bucket = new SecureBucket(this, "state-bucket", {
      bucketName: env.state.bucketName,
      encryption: this.key,
      accessLogs: this.accessLogs,
      noncurrentVersionDays: env.state.noncurrentVersionDays,
    });
    this.lockTable = new StateLockTable(this, "lock-table", {
      tableName: lockTableName(this.namePrefix),
      encryptionKey: this.key,
    });

    new TerraformOutput(this, "state-bucket-name", { value: this.bucket.name, description: "Terraform state bucket" });
    new TerraformOutput(this, "lock-table-name", { value: this.lockTable.name, description: "Terraform lock table" });
    new TerraformOutput(this, "state-key-arn", { value: this.key.arn, description: "KMS key of the state bucket and lock table" });
  }
}
