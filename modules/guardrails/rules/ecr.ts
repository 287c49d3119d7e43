import { GuardrailRule } from "../rule";
import { blocks, isSet } from "../synthesized-stack";

export const ecrImmutableScannedEncrypted: GuardrailRule = {
  id: "ecr-baseline",
  requirement: "Every ECR repository has immutable tags, scan on push and KMS encryption with a customer-managed key.",
  rationale: "A tag always names the image that was reviewed and scanned, and images are encrypted with keys the company controls.",
  check: (stack) =>
    stack.resources("aws_ecr_repository").flatMap((repository) => {
      const problems = [
        repository.values.image_tag_mutability !== "IMMUTABLE" && 'image_tag_mutability = "IMMUTABLE"',
        !blocks(repository.values.image_scanning_configuration).some((scan) => scan.scan_on_push === true) &&
          "image_scanning_configuration { scan_on_push = true }",
        !blocks(repository.values.encryption_configuration).some((config) => config.encryption_type === "KMS" && isSet(config.kms_key)) &&
          'encryption_configuration { encryption_type = "KMS", kms_key = <customer-managed key> }',
      ].filter((problem): problem is string => typeof problem === "string");
      return problems.length ? [{ address: repository.address, message: `set ${problems.join(", ")}` }] : [];
    }),
};
