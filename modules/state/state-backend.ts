import { S3Backend } from "cdktf";
import { Construct } from "constructs";

/**
 * Where an environment keeps its Terraform state. One bucket, one KMS key and one lock table per environment, in the
 * environment's own account; every stack of the environment stores its state under `<stack>/terraform.tfstate`.
 */
export interface StateBackendSettings {
  /** The stack whose state this is: its key is `<stack>/terraform.tfstate`. */
  readonly stackName: string;
  /** Resource name prefix of the environment, `<project>-<env>` (the lock table and the key alias). */
  readonly namePrefix: string;
  /** State bucket name. */
  readonly bucket: string;
  /** Region of the bucket, table and key. */
  readonly region: string;
  /** The environment's account: the backend refuses credentials of any other. */
  readonly accountId: string;
}

/** What the state key protects; its alias is `alias/<project>-<env>-terraform-state`. */
export const STATE_KEY_PURPOSE = "terraform-state";

/** Name of an environment's lock table, `<project>-<env>-terraform-locks`. */
export function lockTableName(namePrefix: string): string {
  return `${namePrefix}-terraform-locks`;
}

/** The state object key of a stack. */
export function stateKey(stackName: string): string {
  return `${stackName}/terraform.tfstate`;
}

/**
 * ARN of the state key's alias. A backend block cannot refer to resources, and the key's id is random; the alias is
 * known in advance (the S3 backend accepts an alias ARN as `kms_key_id`).
 */
export function stateKeyAliasArn(settings: Pick<StateBackendSettings, "namePrefix" | "region" | "accountId">): string {
  return `arn:aws:kms:${settings.region}:${settings.accountId}:alias/${settings.namePrefix}-${STATE_KEY_PURPOSE}`;
}

/**
 * The S3 backend of one stack: the environment's bucket and account only (with whatever credentials the runner
 * has: Atlantis's plan or deploy role, an engineer's profile; `allowedAccountIds` refuses any other account's), state objects written with SSE-KMS under
 * the state key (with `encrypt` alone Terraform would send SSE-S3), and both locks taken: the S3 lock file
 * (`<key>.tflock`, written with a conditional put, Terraform 1.11+) and the DynamoDB table, deprecated since
 * Terraform 1.11 and kept for one release so that a run of the previous configuration still excludes a new one
 * (docs/provisioning.md, "State locking"). `terraform_remote_state` reads get the same settings.
 */
export class EnvironmentStateBackend extends S3Backend {
  constructor(scope: Construct, settings: StateBackendSettings) {
    super(scope, {
      bucket: settings.bucket,
      key: stateKey(settings.stackName),
      region: settings.region,
      encrypt: true,
      kmsKeyId: stateKeyAliasArn(settings),
      dynamodbTable: lockTableName(settings.namePrefix),
      allowedAccountIds: [settings.accountId],
    });
    // cdktf 0.21's S3BackendConfig predates use_lockfile.
    this.addOverride("use_lockfile", true);
  }
}
