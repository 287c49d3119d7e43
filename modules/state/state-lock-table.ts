import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";
import { EncryptionKey } from "../kms/kms-key";

export interface StateLockTableProps {
  /** Table name. */
  readonly tableName: string;
  /** Customer-managed key for server-side encryption. */
  readonly encryptionKey: EncryptionKey;
}

/**
 * The DynamoDB table Terraform's S3 backend locks state with (`LockID` hash key): on-demand, point-in-time
 * recovery, SSE with the customer-managed key, deletion protection and `prevent_destroy`.
 */
export class StateLockTable extends Construct {
  /** Table name. */
  readonly name: string;
  /** Table ARN. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: StateLockTableProps) {
    super(scope, id);
    const table = new DynamodbTable(this, "table", {
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.encryptionKey.arn },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });
    this.name = table.name;
    this.arn = table.arn;
  }
}
