import { GuardrailRule } from "../rule";
import { dynamodbEncryptionKms, dynamodbPointInTimeRecovery } from "./dynamodb";
import { ecrImmutableScannedEncrypted } from "./ecr";
import { eksControlPlaneLogs, eksEndpointNotOpen, eksSecretsEncryption, launchTemplateEncryptedVolumes, launchTemplateImdsV2 } from "./eks";
import { iamNoActionWildcard, iamResourceWildcard } from "./iam";
import { kmsKeyRotation } from "./kms";
import { ingressHttpsWaf, workloadResourceLimits, workloadRestricted } from "./kubernetes";
import {
  defaultSecurityGroupClosed,
  logGroupEncryptionAndRetention,
  securityGroupDescriptions,
  securityGroupNoWorldIngress,
  subnetNoPublicIp,
  vpcFlowLogs,
} from "./network";
import { batchJobNotPrivileged, batchLaunchTemplate, stateMachineLogsAndTraces } from "./pipeline";
import { rdsBackups, rdsDeletionProtection, rdsEncrypted, rdsIamAuthentication, rdsLogExports, rdsNotPublic } from "./rds";
import {
  redshiftAuditLogging,
  redshiftEncrypted,
  redshiftEnhancedVpcRouting,
  redshiftNotPublic,
  redshiftRequireSsl,
} from "./redshift";
import { requiredTags } from "./required-tags";
import { s3AccessLogging, s3EncryptionKms, s3PublicAccessBlock, s3TlsOnly, s3Versioning } from "./s3";

/** The rule catalogue: every rule the guardrails check, in the order they are reported. */
export const GUARDRAIL_RULES: readonly GuardrailRule[] = [
  requiredTags,
  s3EncryptionKms,
  s3PublicAccessBlock,
  s3Versioning,
  s3TlsOnly,
  s3AccessLogging,
  dynamodbPointInTimeRecovery,
  dynamodbEncryptionKms,
  kmsKeyRotation,
  vpcFlowLogs,
  subnetNoPublicIp,
  defaultSecurityGroupClosed,
  securityGroupDescriptions,
  securityGroupNoWorldIngress,
  logGroupEncryptionAndRetention,
  rdsEncrypted,
  rdsNotPublic,
  rdsIamAuthentication,
  rdsBackups,
  rdsLogExports,
  rdsDeletionProtection,
  redshiftEncrypted,
  redshiftNotPublic,
  redshiftEnhancedVpcRouting,
  redshiftRequireSsl,
  redshiftAuditLogging,
  ecrImmutableScannedEncrypted,
  eksSecretsEncryption,
  eksControlPlaneLogs,
  eksEndpointNotOpen,
  launchTemplateImdsV2,
  launchTemplateEncryptedVolumes,
  iamNoActionWildcard,
  iamResourceWildcard,
  stateMachineLogsAndTraces,
  batchJobNotPrivileged,
  batchLaunchTemplate,
  workloadRestricted,
  workloadResourceLimits,
  ingressHttpsWaf,
];
