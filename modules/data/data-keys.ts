import { Construct } from "constructs";
import { cloudWatchLogsKeyStatement } from "../kms/key-statements";
import { EncryptionKey } from "../kms/kms-key";

/** Encryption context the zero-ETL integration adds, so the data key admits Redshift grants for it only. */
export function zeroEtlEncryptionContext(namePrefix: string): Record<string, string> {
  return { "proteomics:integration": `${namePrefix}-metrics` };
}

export interface DataKeysProps {
  /** Resource name prefix, `<project>-<env>`. */
  readonly namePrefix: string;
  /** Account and region of the keys. */
  readonly accountId: string;
  readonly region: string;
  /** The only roles that may use the customer objects' key (the data perimeter, `stacks/naming.ts`). */
  readonly customerDataRoleArns: readonly string[];
  /** Adds Terraform `prevent_destroy` to every key. */
  readonly preventDestroy: boolean;
}

/**
 * The environment's customer-managed keys, one per data domain, each usable only by the services of that domain:
 * `objects` (customer objects in S3, and only by the roles of the data perimeter), `data` (RDS, Redshift, ECR, other
 * buckets, and Redshift's zero-ETL grants), `logs` (CloudWatch Logs), `secrets` (Secrets
 * Manager, EKS secrets encryption) and `messaging` (SQS, with EventBridge rules as producers).
 */
export class DataKeys extends Construct {
  /** Customer objects: the uploads, work and results buckets. */
  readonly objects: EncryptionKey;
  /** Data at rest: databases, warehouse, images. */
  readonly data: EncryptionKey;
  /** CloudWatch log groups. */
  readonly logs: EncryptionKey;
  /** Secrets Manager secrets (database master passwords, application secrets) and Kubernetes secrets in etcd. */
  readonly secrets: EncryptionKey;
  /** SQS queues. */
  readonly messaging: EncryptionKey;

  constructor(scope: Construct, id: string, props: DataKeysProps) {
    super(scope, id);
    const common = { namePrefix: props.namePrefix, accountId: props.accountId, region: props.region, preventDestroy: props.preventDestroy };

    this.objects = new EncryptionKey(this, "objects", {
      ...common,
      purpose: "customer-objects",
      description: `Customer objects of ${props.namePrefix}: uploads, analysis work and results in S3; the data perimeter's roles only`,
      viaServices: ["s3"],
      usageRestrictedTo: props.customerDataRoleArns,
    });
    this.data = new EncryptionKey(this, "data", {
      ...common,
      purpose: "data",
      description: `Data at rest of ${props.namePrefix}: RDS, Redshift, ECR`,
      viaServices: ["s3", "rds", "redshift", "ecr"],
      servicePrincipalStatements: [
        {
          // The zero-ETL integration lets Redshift decrypt what RDS replicates: grants for this integration's encryption
          // context only, asked for by Redshift on behalf of an integration of this account and region (AWS's key
          // policy for zero-ETL). The integration's own ARN ends in an id that exists only once the grant has been used.
          Sid: "RedshiftZeroEtlGrants",
          Effect: "Allow",
          Principal: { Service: "redshift.amazonaws.com" },
          Action: "kms:CreateGrant",
          Resource: "*",
          Condition: {
            StringEquals: {
              ...Object.fromEntries(Object.entries(zeroEtlEncryptionContext(props.namePrefix)).map(([key, value]) => [`kms:EncryptionContext:${key}`, value])),
              "aws:SourceAccount": props.accountId,
            },
            ArnLike: { "aws:SourceArn": `arn:aws:*:${props.region}:${props.accountId}:integration:*` },
            "ForAllValues:StringEquals": { "kms:GrantOperations": ["Decrypt", "GenerateDataKey", "CreateGrant"] },
          },
        },
      ],
    });
    this.logs = new EncryptionKey(this, "logs", {
      ...common,
      purpose: "logs",
      description: `CloudWatch log groups of ${props.namePrefix}`,
      viaServices: [],
      // Log groups of the environment, AWS services' own (/aws/...) and WAF's, whose names must start aws-waf-logs-.
      servicePrincipalStatements: [
        cloudWatchLogsKeyStatement(props.region, props.accountId, [`/${props.namePrefix}/*`, "/aws/*", `aws-waf-logs-${props.namePrefix}*`]),
      ],
    });
    this.secrets = new EncryptionKey(this, "secrets", {
      ...common,
      purpose: "secrets",
      description: `Secrets of ${props.namePrefix}: Secrets Manager, and EKS envelope encryption of Kubernetes secrets`,
      viaServices: ["secretsmanager", "eks"],
    });
    this.messaging = new EncryptionKey(this, "messaging", {
      ...common,
      purpose: "messaging",
      description: `SQS queues of ${props.namePrefix}`,
      viaServices: ["sqs"],
      servicePrincipalStatements: [
        {
          // EventBridge rules send to the environment's encrypted queues (analysis status, Karpenter's interruptions).
          // SQS asks KMS on the rule's behalf and passes no aws:SourceAccount/aws:SourceArn there (which rule may send
          // is the queue policy's job); the encryption context SQS adds names the queue, so only this environment's.
          Sid: "EventRulesEncryptQueueMessages",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: "*",
          Condition: { ArnLike: { "kms:EncryptionContext:aws:sqs:arn": `arn:aws:sqs:${props.region}:${props.accountId}:${props.namePrefix}-*` } },
        },
      ],
    });
  }
}
