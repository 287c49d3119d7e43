import { GuardrailRule } from "../rule";
import { blocks, isSet } from "../synthesized-stack";

export const dynamodbPointInTimeRecovery: GuardrailRule = {
  id: "dynamodb-pitr",
  requirement: "Every DynamoDB table has point-in-time recovery enabled.",
  rationale: "A table can be restored to any second of the recovery window after a bad write or deletion.",
  check: (stack) =>
    stack
      .resources("aws_dynamodb_table")
      .filter((table) => !blocks(table.values.point_in_time_recovery).some((pitr) => pitr.enabled === true))
      .map((table) => ({ address: table.address, message: "set point_in_time_recovery { enabled = true }" })),
};

export const dynamodbEncryptionKms: GuardrailRule = {
  id: "dynamodb-sse-kms",
  requirement: "Every DynamoDB table is encrypted with a customer-managed KMS key.",
  rationale: "Data at rest is encrypted with keys the company controls (DESIGN.md §6).",
  check: (stack) =>
    stack
      .resources("aws_dynamodb_table")
      .filter((table) => !blocks(table.values.server_side_encryption).some((sse) => sse.enabled === true && isSet(sse.kms_key_arn)))
      .map((table) => ({ address: table.address, message: "set server_side_encryption { enabled = true, kms_key_arn = <customer-managed key> }" })),
};
