import { GuardrailRule } from "../rule";
import { SynthesizedResource, isSet } from "../synthesized-stack";

/** True when `keyId` names a customer-managed key (an ARN or reference), not an AWS-managed alias. */
const isCustomerKey = (keyId: unknown) => isSet(keyId) && !String(keyId).startsWith("alias/aws/");

const unencrypted = (resources: SynthesizedResource[], attribute: string, message: string) =>
  resources.filter((resource) => !isCustomerKey(resource.values[attribute])).map((resource) => ({ address: resource.address, message }));

export const sqsEncryptionKms: GuardrailRule = {
  id: "sqs-sse-kms",
  requirement: "Every SQS queue is encrypted with a customer-managed KMS key.",
  rationale: "Queues carry analysis outcomes and interruption notices; the company controls who can decrypt them (DESIGN.md §6).",
  check: (stack) => unencrypted(stack.resources("aws_sqs_queue"), "kms_master_key_id", "set kms_master_key_id to a customer-managed key"),
};

export const snsEncryptionKms: GuardrailRule = {
  id: "sns-sse-kms",
  requirement: "Every SNS topic is encrypted with a customer-managed KMS key.",
  rationale: "Alerts name resources and failures; an AWS-managed key would also refuse CloudWatch and EventBridge, silently dropping alerts.",
  check: (stack) => unencrypted(stack.resources("aws_sns_topic"), "kms_master_key_id", "set kms_master_key_id to a customer-managed key"),
};

export const secretsEncryptionKms: GuardrailRule = {
  id: "secrets-kms",
  requirement: "Every Secrets Manager secret is encrypted with a customer-managed KMS key.",
  rationale: "Who may read a secret is decided by the key policy as well as IAM; the default key would leave it to IAM alone.",
  check: (stack) => unencrypted(stack.resources("aws_secretsmanager_secret"), "kms_key_id", "set kms_key_id to a customer-managed key"),
};
