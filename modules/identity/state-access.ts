import { Token } from "cdktf";
import { PolicyConditions } from "../iam/policy-document";
import { IdentityStatement } from "./identity-statement";

/** Where an environment keeps its Terraform state (the `<env>-state` stack's bucket, key and lock table). */
export interface StateLocation {
  /** State bucket name. */
  readonly bucketName: string;
  /**
   * The state key: its ARN (a Terraform reference to the state stack's key, or a literal `key/...` ARN) or the ARN of
   * its alias (`stateKeyAliasArn` of modules/state/state-backend.ts, known before the key exists). With an alias, IAM
   * statements name the key through `kms:ResourceAliases`: an alias ARN in `Resource` only governs the alias itself.
   */
  readonly keyArn: string;
  /** Lock table name. */
  readonly lockTableName: string;
}

/** What every identity policy is about: one environment's account, region, name prefix and state. */
export interface IdentityScope {
  /** `<project>-<env>`. */
  readonly namePrefix: string;
  /** The environment's account. */
  readonly accountId: string;
  /** The environment's region (state bucket, lock table, key). */
  readonly region: string;
  readonly state: StateLocation;
}

/** How statements name the state key: a resource, or every key of the account that carries the alias. */
interface KeyScope {
  /** Allow: the state key only. */
  readonly allow: { readonly Resource: string; readonly Condition?: PolicyConditions };
  /** Deny: every key but the state key. */
  readonly outside: { readonly Resource: string; readonly Condition: PolicyConditions } | { readonly NotResource: string };
}

const ALIAS_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(alias\/[A-Za-z0-9/_-]+)$/;

/** The alias name (`alias/...`) when `keyArn` is an alias ARN, else undefined. */
export function stateKeyAlias(keyArn: string): string | undefined {
  return Token.isUnresolved(keyArn) ? undefined : ALIAS_ARN.exec(keyArn)?.[3];
}

function keyScope(scope: IdentityScope): KeyScope {
  const alias = stateKeyAlias(scope.state.keyArn);
  if (alias === undefined) return { allow: { Resource: scope.state.keyArn }, outside: { NotResource: scope.state.keyArn } };
  const keys = `arn:aws:kms:${scope.region}:${scope.accountId}:key/*`;
  return {
    allow: { Resource: keys, Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": alias } } },
    // A key without aliases has an empty kms:ResourceAliases, which ForAllValues:StringNotEquals matches: denied too.
    outside: { Resource: "*", Condition: { "ForAllValues:StringNotEquals": { "kms:ResourceAliases": alias } } },
  };
}

/** ARN of the state bucket. */
export function stateBucketArn(scope: IdentityScope): string {
  return `arn:aws:s3:::${scope.state.bucketName}`;
}

/** ARN of the lock table. */
export function lockTableArn(scope: IdentityScope): string {
  return `arn:aws:dynamodb:${scope.region}:${scope.accountId}:table/${scope.state.lockTableName}`;
}

/** The services Terraform's S3 backend calls the state key through (the key policy admits only these). */
function viaStateServices(scope: IdentityScope): PolicyConditions {
  return { StringEquals: { "kms:ViaService": [`s3.${scope.region}.amazonaws.com`, `dynamodb.${scope.region}.amazonaws.com`] } };
}

/** Cryptographic use of the state key S3 and DynamoDB make for a state reader and locker. */
export const STATE_KEY_USE_ACTIONS = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"] as const;

/** The writes a plan takes on the state: the S3 lock file and the DynamoDB lock item, and the key they are encrypted with. */
export const STATE_LOCK_WRITE_ACTIONS = ["s3:PutObject", "s3:DeleteObject", "dynamodb:PutItem", "dynamodb:DeleteItem", ...STATE_KEY_USE_ACTIONS] as const;

/**
 * Read the state and take its locks: objects of the state bucket, the lock file (`<stack>/terraform.tfstate.tflock`,
 * written with a conditional put and deleted on unlock) and the lock table's items, through the state key.
 */
export function stateReadAndLockStatements(scope: IdentityScope): IdentityStatement[] {
  const bucket = stateBucketArn(scope);
  const key = keyScope(scope);
  return [
    { Sid: "ReadState", Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: [bucket, `${bucket}/*`] },
    { Sid: "LockStateFile", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: `${bucket}/*.tflock` },
    { Sid: "LockStateTable", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"], Resource: lockTableArn(scope) },
    {
      Sid: "UseStateKeyThroughBackend",
      Effect: "Allow",
      Action: [...STATE_KEY_USE_ACTIONS],
      ...key.allow,
      Condition: { ...key.allow.Condition, ...viaStateServices(scope) },
    },
  ];
}

/** Denies decrypting with any key but the state key. */
export function denyDecryptOutsideStateStatement(scope: IdentityScope): IdentityStatement {
  return { Sid: "DenyDecryptOutsideState", Effect: "Deny", Action: "kms:Decrypt", ...keyScope(scope).outside };
}

/**
 * The state layer is applied by hand (platform-admin); an automation role may use it (read, write state, lock) but
 * never reconfigure or destroy the bucket, the lock table or the key, nor purge state versions.
 */
export function denyStateAdministrationStatements(scope: IdentityScope): IdentityStatement[] {
  const bucket = stateBucketArn(scope);
  const key = keyScope(scope);
  return [
    {
      Sid: "DenyStateBucketAdministration",
      Effect: "Deny",
      NotAction: ["s3:Get*", "s3:List*", "s3:PutObject", "s3:DeleteObject"],
      Resource: [bucket, `${bucket}/*`],
    },
    // A lock file is deleted on unlock; a state file never is (a delete marker would hide every stack's state).
    { Sid: "DenyStateDeletion", Effect: "Deny", Action: "s3:DeleteObject", Resource: `${bucket}/*.tfstate` },
    {
      Sid: "DenyLockTableAdministration",
      Effect: "Deny",
      NotAction: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Describe*", "dynamodb:List*"],
      Resource: lockTableArn(scope),
    },
    {
      Sid: "DenyStateKeyAdministration",
      Effect: "Deny",
      NotAction: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:CreateGrant", "kms:Describe*", "kms:Get*", "kms:List*"],
      ...key.allow,
    },
  ];
}
