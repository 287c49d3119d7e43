import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { keyPerimeterStatement } from "../storage/data-perimeter";
import { PolicyStatement, accountRootArn, policyDocument } from "../iam/policy-document";

/** Administration of the key itself (no cryptographic use): what the account's admins may do through IAM. */
const KEY_ADMINISTRATION_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListAliases",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
] as const;

/** Cryptographic use of a symmetric key by a service on behalf of a principal (S3, DynamoDB, RDS, ...). */
export const KEY_USAGE_ACTIONS = [
  "kms:CreateGrant",
  "kms:Decrypt",
  "kms:DescribeKey",
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
] as const;

export interface EncryptionKeyProps {
  /** Resource name prefix, `<project>-<env>`. */
  readonly namePrefix: string;
  /** What the key protects; the alias is `alias/<namePrefix>-<purpose>`. */
  readonly purpose: string;
  /** Human description shown in the KMS console. */
  readonly description: string;
  /** Account that owns the key; its root principal administers it through IAM. */
  readonly accountId: string;
  /** Region of the services in `viaServices`. */
  readonly region: string;
  /**
   * Services (endpoint prefixes such as `s3`, `dynamodb`) through which principals of the account may use the key;
   * use outside those services is refused by the key policy (`kms:ViaService`).
   */
  readonly viaServices: readonly string[];
  /** Statements for service principals that call KMS themselves (e.g. CloudWatch Logs). @default none */
  readonly servicePrincipalStatements?: readonly PolicyStatement[];
  /**
   * The only roles that may use the key for encryption and decryption, when it protects customer data: every other
   * principal is denied by the key policy (`data-perimeter.ts`). @default none (any principal the policy allows)
   */
  readonly usageRestrictedTo?: readonly string[];
  /** Waiting period before a scheduled deletion completes, 7 to 30 days. @default 30 */
  readonly deletionWindowDays?: number;
  /** Adds Terraform `prevent_destroy`. @default true */
  readonly preventDestroy?: boolean;
}

/**
 * A customer-managed symmetric KMS key with yearly rotation, an alias and an explicit key policy: the account
 * administers it, and principals of the account may use it only through the listed services.
 */
export class EncryptionKey extends Construct {
  /** Key ARN, for resources' `kms_key_id`/`kms_key_arn`. */
  readonly arn: string;
  /** Key id. */
  readonly keyId: string;
  /** `alias/<namePrefix>-<purpose>`. */
  readonly aliasName: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    if (props.viaServices.length === 0 && (props.servicePrincipalStatements ?? []).length === 0) {
      throw new Error(`KMS key "${props.purpose}" must name at least one service that may use it`);
    }
    const statements: PolicyStatement[] = [
      {
        Sid: "AccountAdministersKey",
        Effect: "Allow",
        Principal: { AWS: accountRootArn(props.accountId) },
        Action: KEY_ADMINISTRATION_ACTIONS,
        Resource: "*",
      },
    ];
    if (props.viaServices.length > 0) {
      statements.push({
        Sid: "AccountUsesKeyThroughServices",
        Effect: "Allow",
        Principal: { AWS: accountRootArn(props.accountId) },
        Action: KEY_USAGE_ACTIONS,
        Resource: "*",
        Condition: {
          StringEquals: {
            "kms:CallerAccount": props.accountId,
            "kms:ViaService": props.viaServices.map((service) => `${service}.${props.region}.amazonaws.com`),
          },
        },
      });
    }
    statements.push(...(props.servicePrincipalStatements ?? []));
    if (props.usageRestrictedTo) statements.push(keyPerimeterStatement(props.usageRestrictedTo));

    const key = new KmsKey(this, "key", {
      description: props.description,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      policy: policyDocument(statements),
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.aliasName = `alias/${props.namePrefix}-${props.purpose}`;
    new KmsAlias(this, "alias", { name: this.aliasName, targetKeyId: key.keyId });
    this.arn = key.arn;
    this.keyId = key.keyId;
  }
}
