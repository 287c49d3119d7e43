import { GuardrailRule } from "../rule";

export const kmsKeyRotation: GuardrailRule = {
  id: "kms-rotation",
  requirement: "Every symmetric customer-managed KMS key has automatic rotation enabled.",
  rationale: "Rotation limits how much data one key version protects, as the security baseline requires.",
  check: (stack) =>
    stack
      .resources("aws_kms_key")
      .filter((key) => (key.values.customer_master_key_spec ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT")
      .filter((key) => key.values.enable_key_rotation !== true)
      .map((key) => ({ address: key.address, message: "set enable_key_rotation = true" })),
};
