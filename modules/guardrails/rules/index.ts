import { GuardrailRule } from "../rule";
import { dynamodbEncryptionKms, dynamodbPointInTimeRecovery } from "./dynamodb";
import { kmsKeyRotation } from "./kms";
import {
  defaultSecurityGroupClosed,
  logGroupEncryptionAndRetention,
  securityGroupDescriptions,
  securityGroupNoWorldIngress,
  subnetNoPublicIp,
  vpcFlowLogs,
} from "./network";
import { requiredTags } from "./required-tags";
import { s3EncryptionKms, s3PublicAccessBlock, s3Versioning } from "./s3";

/** The rule catalogue: every rule the guardrails check, in the order they are reported. */
export const GUARDRAIL_RULES: readonly GuardrailRule[] = [
  requiredTags,
  s3EncryptionKms,
  s3PublicAccessBlock,
  s3Versioning,
  dynamodbPointInTimeRecovery,
  dynamodbEncryptionKms,
  kmsKeyRotation,
  vpcFlowLogs,
  subnetNoPublicIp,
  defaultSecurityGroupClosed,
  securityGroupDescriptions,
  securityGroupNoWorldIngress,
  logGroupEncryptionAndRetention,
];
