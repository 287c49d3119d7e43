import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { AnyEnvironmentConfig } from "../environments";
import { EncryptionKey } from "../modules/kms/kms-key";
import { StateLockTable } from "../modules/state/state-lock-table";
import { STATE_KEY_PURPOSE, lockTableName, stateKeyAliasArn } from "../modules/state/state-backend";
import { AccessLogBucket } from "../modules/storage/access-log-bucket";
import { SecureBucket } from "../modules/storage/secure-bucket";
import { bucketPerimeterStatements } from "../modules/storage/data-perimeter";
import { writesOnlyWithKeyStatements } from "../modules/storage/encryption-statements";
import { EnvironmentStack } from "./environment-stack";
import { identityRoleArn } from "./naming";

/** The roles of an account's Identity Center `AdministratorAccess` permission set (its first administrators). */
export function identityCenterAdministratorPattern(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_AdministratorAccess_*`;
}

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

  constructor(scope: Construct, env: AnyEnvironmentConfig) {
    super(scope, "state", env, { localBackend: !env.state.bootstrapComplete });

    // Only the roles that plan and apply (Atlantis's, through the plan and deploy roles), the platform admins and
    // break-glass, and the administrators who bootstrap the account, read or write state: it holds every resource's
    // attributes, and a write to it is a change to the infrastructure.
    const stateRoles = [
      ...(["plan", "deploy", "platformAdmin", "breakGlass"] as const).map((kind) => identityRoleArn(env, kind)),
      ...(env.state.administratorRoleArns ?? [identityCenterAdministratorPattern(env.awsAccountId)]),
    ];
    this.key = new EncryptionKey(this, "state-key", {
      namePrefix: this.namePrefix,
      purpose: STATE_KEY_PURPOSE,
      description: `Encrypts the Terraform state bucket and lock table of ${env.name}`,
      accountId: env.awsAccountId,
      region: env.region,
      viaServices: ["s3", "dynamodb"],
      usageRestrictedTo: stateRoles,
    });
    const accessLogsBucketName = `${this.namePrefix}-tfstate-logs-${env.awsAccountId}`;
    this.accessLogs = new AccessLogBucket(this, "access-logs", {
      bucketName: accessLogsBucketName,
      accountId: env.awsAccountId,
      sourceBucketPattern: env.state.bucketName,
      retentionDays: env.state.accessLogRetentionDays,
    });
    const stateObjects = `arn:aws:s3:::${env.state.bucketName}/*`;
    this.bucket = new SecureBucket(this, "state-bucket", {
      bucketName: env.state.bucketName,
      encryption: this.key,
      accessLogs: this.accessLogs,
      noncurrentVersionDays: env.state.noncurrentVersionDays,
      // Every backend asks for SSE-KMS with the state key (or its alias); a write that asks for anything else is refused.
      policyStatements: [
        ...bucketPerimeterStatements(`arn:aws:s3:::${env.state.bucketName}`, { roleArns: stateRoles, listerArns: [] }),
        ...writesOnlyWithKeyStatements("State", stateObjects, [
          this.key.arn,
          stateKeyAliasArn({ namePrefix: this.namePrefix, region: env.region, accountId: env.awsAccountId }),
        ]),
      ],
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
