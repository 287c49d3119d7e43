import { GuardrailRule } from "../rule";
import { computeCostTags } from "./cost-tags";
import { dynamodbEncryptionKms, dynamodbPointInTimeRecovery } from "./dynamodb";
import { secretsEncryptionKms, snsEncryptionKms, sqsEncryptionKms } from "./encryption";
import { ecrImmutableScannedEncrypted } from "./ecr";
import { eksControlPlaneLogs, eksEndpointNotOpen, eksSecretsEncryption, launchTemplateEncryptedVolumes, launchTemplateImdsV2 } from "./eks";
import { iamNoActionWildcard, iamResourceWildcard, iamServicePrincipalSource, s3ObjectGrantsPrefixed } from "./iam";
import { karpenterInterruptionQueue, nodeClassImdsV2 } from "./karpenter";
import { kmsKeyRotation } from "./kms";
import { publicLoadBalancer } from "./load-balancers";
import { ingressHttpsWaf, secretStoreScoped, workloadResourceLimits, workloadRestricted } from "./kubernetes";
import {
  defaultSecurityGroupClosed,
  vpcEndpointPerimeter,
  logGroupEncryptionAndRetention,
  logGroupMinimumRetention,
  auditLogDeletionProtection,
  securityGroupDescriptions,
  securityGroupNoWorldIngress,
  privateApiIngress,
  subnetNoPublicIp,
  vpcFlowLogs,
} from "./network";
import { batchJobNotPrivileged, batchLaunchTemplate, batchSpotRetry, stateMachineLogsAndTraces } from "./pipeline";
import { dynamodbDeletionProtection, rdsMultiAz, redshiftSnapshots, statefulPreventDestroy } from "./protection";
import { rdsBackups, rdsDeletionProtection, rdsEncrypted, rdsIamAuthentication, rdsLogExports, rdsNotPublic } from "./rds";
import {
  redshiftAuditLogging,
  redshiftEncrypted,
  redshiftEnhancedVpcRouting,
  redshiftNotPublic,
  redshiftRequireSsl,
} from "./redshift";
import { replaceableNames, resourceNames } from "./names";
import { requiredTags } from "./required-tags";
import { rolePoliciesBeforeUse } from "./role-policies";
import { customerDataPerimeter, s3AccessLogging, s3EncryptionKms, s3PublicAccessBlock, s3TlsOnly, s3Versioning } from "./s3";

/** The rule catalogue: every rule the guardrails check, in the order they are reported. */
export const GUARDRAIL_RULES: readonly GuardrailRule[] = [
  requiredTags,
  resourceNames,
  replaceableNames,
  s3EncryptionKms,
  s3PublicAccessBlock,
  s3Versioning,
  s3TlsOnly,
  s3AccessLogging,
  customerDataPerimeter,
  s3ObjectGrantsPrefixed,
  dynamodbPointInTimeRecovery,
  dynamodbEncryptionKms,
  dynamodbDeletionProtection,
  sqsEncryptionKms,
  snsEncryptionKms,
  secretsEncryptionKms,
  kmsKeyRotation,
  vpcFlowLogs,
  vpcEndpointPerimeter,
  subnetNoPublicIp,
  defaultSecurityGroupClosed,
  securityGroupDescriptions,
  securityGroupNoWorldIngress,
  privateApiIngress,
  publicLoadBalancer,
  logGroupEncryptionAndRetention,
  logGroupMinimumRetention,
  auditLogDeletionProtection,
  rdsEncrypted,
  rdsNotPublic,
  rdsIamAuthentication,
  rdsBackups,
  rdsLogExports,
  rdsDeletionProtection,
  rdsMultiAz,
  redshiftEncrypted,
  redshiftNotPublic,
  redshiftEnhancedVpcRouting,
  redshiftRequireSsl,
  redshiftAuditLogging,
  redshiftSnapshots,
  ecrImmutableScannedEncrypted,
  eksSecretsEncryption,
  eksControlPlaneLogs,
  eksEndpointNotOpen,
  launchTemplateImdsV2,
  launchTemplateEncryptedVolumes,
  computeCostTags,
  nodeClassImdsV2,
  karpenterInterruptionQueue,
  iamNoActionWildcard,
  iamResourceWildcard,
  iamServicePrincipalSource,
  rolePoliciesBeforeUse,
  stateMachineLogsAndTraces,
  batchJobNotPrivileged,
  batchLaunchTemplate,
  batchSpotRetry,
  statefulPreventDestroy,
  workloadRestricted,
  workloadResourceLimits,
  ingressHttpsWaf,
  secretStoreScoped,
];
