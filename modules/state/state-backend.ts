/**
 * Where an environment keeps its Terraform state. One bucket and one lock table per environment, in the
 * environment's own account; every stack of the environment stores its state under `<stack>/terraform.tfstate`.
 */
export interface StateBackendSettings {
  /** State bucket name. */
  readonly bucket: string;
  /** Lock table name. */
  readonly lockTable: string;
  /** Region of the bucket and table. */
  readonly region: string;
  /** The environment's account: the backend refuses credentials of any other. */
  readonly accountId: string;
  /** Role to assume for state access. @default none (ambient credentials) */
  readonly roleArn?: string;
}

/** Name of an environment's lock table, `<project>-<env>-terraform-locks`. */
export function lockTableName(namePrefix: string): string {
  return `${namePrefix}-terraform-locks`;
}

/** The state object key of a stack. */
export function stateKey(stackName: string): string {
  return `${stackName}/terraform.tfstate`;
}
