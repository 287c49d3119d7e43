/**
 * What AWS, Kubernetes and Helm accept as the names the project chooses: length, characters and extra rules, per
 * resource type and argument. The naming guardrail checks every such argument of every synthesized stack against this
 * table, so a name that `terraform plan` (the provider's validation) or the API at create time would refuse stops
 * the synth instead. Sources: the provider's schema validation (terraform-provider-aws v6, `internal/service/...`),
 * the AWS API references, and the Kubernetes API conventions.
 */

/** One naming rule: what a whole name (or a `name_prefix`) must satisfy. */
export interface NameRule {
  /** Shortest name accepted. */
  readonly min: number;
  /** Longest name accepted. */
  readonly max: number;
  /** Pattern the whole name must match. */
  readonly pattern: RegExp;
  /** The pattern in words, for messages. */
  readonly allowed: string;
  /** Names this rule also refuses, with why (reserved prefixes, consecutive hyphens...). @default none */
  readonly refuse?: readonly { readonly pattern: RegExp; readonly reason: string }[];
  /** Longest `name_prefix` (the provider appends a 26-character unique suffix). @default no prefix argument */
  readonly prefixMax?: number;
  /** Several resources may carry the same value (a label, not an identity). @default false: unique in its scope */
  readonly shared?: boolean;
  /** Where the rule comes from. */
  readonly source: string;
}

const NO_DOUBLE_OR_TRAILING_HYPHEN = [
  { pattern: /--/, reason: "must not contain two consecutive hyphens" },
  { pattern: /-$/, reason: "must not end with a hyphen" },
] as const;

/** `[\w+=,.@-]`: IAM names. */
const IAM_NAME = /^[\w+=,.@-]+$/;
const IAM_ALLOWED = "letters, digits and +=,.@_-";

const LOWERCASE_IDENTIFIER = /^[a-z][a-z0-9-]*$/;
const LOWERCASE_IDENTIFIER_ALLOWED = "lowercase letters, digits and hyphens, starting with a letter";

const BATCH_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const BATCH_ALLOWED = "letters, digits, hyphens and underscores, starting with a letter or digit";

/** RFC 1123 label: namespaces, label values and most short Kubernetes names. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_ALLOWED = "lowercase letters, digits and hyphens, starting and ending with a letter or digit (RFC 1123 label)";
/** RFC 1123 subdomain: most Kubernetes object names. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_SUBDOMAIN_ALLOWED = "lowercase letters, digits, hyphens and dots (RFC 1123 subdomain)";

/** A database's final snapshot: named once, when the database is deleted (RDS and Redshift alike). */
const finalSnapshotIdentifier = (source: string): NameRule => ({
  min: 1,
  max: 255,
  pattern: /^[A-Za-z][A-Za-z0-9-]*$/,
  allowed: "letters, digits and hyphens, starting with a letter",
  refuse: NO_DOUBLE_OR_TRAILING_HYPHEN,
  shared: true,
  source,
});

const kubernetesObject: NameRule = {
  min: 1,
  max: 253,
  pattern: DNS_SUBDOMAIN,
  allowed: DNS_SUBDOMAIN_ALLOWED,
  source: "Kubernetes API conventions: object names (DNS subdomain)",
};

/**
 * Naming rules by Terraform resource type, then by argument (a dotted path for nested blocks, e.g. `metadata.name`).
 * A `name_prefix` argument is checked against the `name` rule's `prefixMax` and characters.
 */
export const NAME_RULES: Readonly<Record<string, Readonly<Record<string, NameRule>>>> = {
  aws_s3_bucket: {
    bucket: {
      min: 3,
      max: 63,
      pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
      allowed: "lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
      refuse: [
        { pattern: /\.\./, reason: "must not contain two adjacent periods" },
        { pattern: /^\d+\.\d+\.\d+\.\d+$/, reason: "must not look like an IP address" },
        { pattern: /^(xn--|sthree-|amzn-s3-demo-)/, reason: "must not start with a reserved prefix (xn--, sthree-, amzn-s3-demo-)" },
        { pattern: /(-s3alias|--ol-s3|--x-s3|--table-s3|\.mrap)$/, reason: "must not end with a reserved suffix" },
      ],
      prefixMax: 37,
      source: "S3 user guide, general purpose bucket naming rules; provider internal/service/s3/bucket.go",
    },
  },
  aws_iam_role: {
    name: { min: 1, max: 64, pattern: IAM_NAME, allowed: IAM_ALLOWED, prefixMax: 38, source: "IAM quotas (role name 64); provider internal/service/iam/role.go" },
  },
  aws_iam_policy: {
    name: { min: 1, max: 128, pattern: IAM_NAME, allowed: IAM_ALLOWED, prefixMax: 102, source: "IAM API CreatePolicy PolicyName" },
  },
  aws_iam_role_policy: {
    name: { min: 1, max: 128, pattern: IAM_NAME, allowed: IAM_ALLOWED, prefixMax: 102, source: "IAM API PutRolePolicy PolicyName" },
  },
  aws_iam_instance_profile: {
    name: { min: 1, max: 128, pattern: IAM_NAME, allowed: IAM_ALLOWED, prefixMax: 102, source: "IAM API CreateInstanceProfile" },
  },
  aws_cloudwatch_event_rule: {
    name: { min: 1, max: 64, pattern: /^[.\-_A-Za-z0-9]+$/, allowed: "letters, digits and ._-", prefixMax: 38, source: "provider internal/service/events/validate.go (validateRuleName)" },
  },
  aws_cloudwatch_event_bus: {
    name: {
      min: 1,
      max: 256,
      pattern: /^[.\-_A-Za-z0-9]+$/,
      allowed: "letters, digits and ._- (no slash: custom bus)",
      refuse: [{ pattern: /^default$/, reason: "must not be default (the account's bus)" }],
      source: "EventBridge API CreateEventBus Name; provider internal/service/events/validate.go",
    },
  },
  aws_sqs_queue: {
    name: { min: 1, max: 80, pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/, allowed: "letters, digits, hyphens and underscores (.fifo for FIFO queues)", prefixMax: 54, source: "SQS API CreateQueue QueueName" },
  },
  aws_sns_topic: {
    name: { min: 1, max: 256, pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/, allowed: "letters, digits, hyphens and underscores", prefixMax: 230, source: "SNS API CreateTopic Name" },
    display_name: { min: 1, max: 100, pattern: /^[\s\S]+$/, allowed: "any characters", shared: true, source: "SNS SetTopicAttributes DisplayName (100 characters)" },
  },
  aws_cloudtrail: {
    name: { min: 3, max: 128, pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]$/, allowed: "letters, digits and ._- (starting and ending with a letter or digit)", source: "CloudTrail API CreateTrail Name" },
  },
  aws_cloudwatch_log_metric_filter: {
    name: { min: 1, max: 512, pattern: /^[^:*]+$/, allowed: "any characters but : and *", source: "CloudWatch Logs API PutMetricFilter filterName" },
  },
  aws_config_configuration_recorder: {
    name: { min: 1, max: 256, pattern: /^[\S]+$/, allowed: "no whitespace", source: "AWS Config API PutConfigurationRecorder ConfigurationRecorder.name" },
  },
  aws_config_delivery_channel: {
    name: { min: 1, max: 256, pattern: /^[\S]+$/, allowed: "no whitespace", source: "AWS Config API PutDeliveryChannel DeliveryChannel.name" },
  },
  aws_config_config_rule: {
    name: { min: 1, max: 128, pattern: /^[\S]+$/, allowed: "no whitespace", source: "AWS Config API PutConfigRule ConfigRuleName; provider internal/service/configservice" },
  },
  aws_accessanalyzer_analyzer: {
    analyzer_name: { min: 1, max: 255, pattern: /^[A-Za-z][A-Za-z0-9_.-]*$/, allowed: "letters, digits and _.- (starting with a letter)", source: "IAM Access Analyzer API CreateAnalyzer analyzerName" },
  },
  aws_guardduty_detector_feature: {
    name: {
      min: 1,
      max: 64,
      pattern: /^[A-Z0-9_]+$/,
      allowed: "a GuardDuty feature name (S3_DATA_EVENTS, EKS_AUDIT_LOGS, ...)",
      shared: true,
      source: "GuardDuty API UpdateDetector Features[].Name (DetectorFeature enum)",
    },
  },
  aws_cloudwatch_log_group: {
    name: { min: 1, max: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/, allowed: "letters, digits and ._/#-", prefixMax: 483, source: "CloudWatch Logs API CreateLogGroup logGroupName" },
  },
  aws_cloudwatch_metric_alarm: {
    alarm_name: { min: 1, max: 255, pattern: /^\P{Cc}+$/u, allowed: "printable characters", source: "CloudWatch API PutMetricAlarm AlarmName" },
  },
  aws_cloudwatch_dashboard: {
    dashboard_name: { min: 1, max: 255, pattern: /^[A-Za-z0-9_-]+$/, allowed: "letters, digits, hyphens and underscores", source: "CloudWatch API PutDashboard DashboardName" },
  },
  aws_db_instance: {
    identifier: {
      min: 1,
      max: 63,
      pattern: LOWERCASE_IDENTIFIER,
      allowed: LOWERCASE_IDENTIFIER_ALLOWED,
      refuse: NO_DOUBLE_OR_TRAILING_HYPHEN,
      prefixMax: 37,
      source: "RDS API CreateDBInstance DBInstanceIdentifier; provider internal/service/rds/validate.go",
    },
    final_snapshot_identifier: finalSnapshotIdentifier("RDS API DeleteDBInstance FinalDBSnapshotIdentifier"),
    db_name: { min: 1, max: 63, pattern: /^[A-Za-z][A-Za-z0-9_]*$/, allowed: "letters, digits and underscores, starting with a letter", shared: true, source: "RDS API CreateDBInstance DBName (PostgreSQL)" },
  },
  aws_db_parameter_group: {
    name: {
      min: 1,
      max: 255,
      pattern: LOWERCASE_IDENTIFIER,
      allowed: LOWERCASE_IDENTIFIER_ALLOWED,
      refuse: NO_DOUBLE_OR_TRAILING_HYPHEN,
      prefixMax: 229,
      source: "RDS API CreateDBParameterGroup; provider internal/service/rds/validate.go (validParamGroupName)",
    },
  },
  aws_db_subnet_group: {
    name: {
      min: 1,
      max: 255,
      pattern: /^[a-z][ .0-9a-z_-]*$/,
      allowed: "lowercase letters, digits, spaces and ._-, starting with a letter",
      refuse: [{ pattern: /^default$/, reason: "must not be default" }],
      prefixMax: 229,
      source: "RDS API CreateDBSubnetGroup; provider internal/service/rds/validate.go (validSubnetGroupName)",
    },
  },
  aws_db_proxy: {
    name: { min: 1, max: 63, pattern: LOWERCASE_IDENTIFIER, allowed: LOWERCASE_IDENTIFIER_ALLOWED, refuse: NO_DOUBLE_OR_TRAILING_HYPHEN, source: "RDS API CreateDBProxy DBProxyName; provider internal/service/rds/proxy.go" },
  },
  aws_rds_integration: {
    integration_name: {
      min: 1,
      max: 63,
      pattern: /^[A-Za-z][A-Za-z0-9-]*$/,
      allowed: "letters, digits and hyphens, starting with a letter",
      refuse: NO_DOUBLE_OR_TRAILING_HYPHEN,
      source: "RDS API CreateIntegration IntegrationName",
    },
  },
  aws_redshift_cluster: {
    cluster_identifier: {
      min: 1,
      max: 63,
      pattern: LOWERCASE_IDENTIFIER,
      allowed: LOWERCASE_IDENTIFIER_ALLOWED,
      refuse: NO_DOUBLE_OR_TRAILING_HYPHEN,
      source: "Redshift API CreateCluster ClusterIdentifier; provider internal/service/redshift/cluster.go",
    },
    final_snapshot_identifier: finalSnapshotIdentifier("Redshift API DeleteCluster FinalClusterSnapshotIdentifier"),
    database_name: { min: 1, max: 64, pattern: /^[a-z][a-z0-9_$]*$/, allowed: "lowercase letters, digits, _ and $, starting with a letter", shared: true, source: "Redshift API CreateCluster DBName" },
  },
  aws_redshift_parameter_group: {
    name: { min: 1, max: 255, pattern: LOWERCASE_IDENTIFIER, allowed: LOWERCASE_IDENTIFIER_ALLOWED, refuse: NO_DOUBLE_OR_TRAILING_HYPHEN, source: "Redshift API CreateClusterParameterGroup" },
  },
  aws_redshift_subnet_group: {
    name: {
      min: 1,
      max: 255,
      pattern: /^[0-9a-z-]+$/,
      allowed: "lowercase letters, digits and hyphens",
      refuse: [{ pattern: /^default$/, reason: "must not be default" }],
      source: "Redshift API CreateClusterSubnetGroup; provider internal/service/redshift/subnet_group.go",
    },
  },
  aws_batch_compute_environment: {
    name: { min: 1, max: 128, pattern: BATCH_NAME, allowed: BATCH_ALLOWED, prefixMax: 102, source: "Batch API CreateComputeEnvironment; provider internal/service/batch/compute_environment.go" },
  },
  aws_batch_job_queue: {
    name: { min: 1, max: 128, pattern: BATCH_NAME, allowed: BATCH_ALLOWED, source: "Batch API CreateJobQueue JobQueueName" },
  },
  aws_batch_job_definition: {
    name: { min: 1, max: 128, pattern: BATCH_NAME, allowed: BATCH_ALLOWED, source: "Batch API RegisterJobDefinition JobDefinitionName" },
  },
  aws_batch_scheduling_policy: {
    name: { min: 1, max: 128, pattern: BATCH_NAME, allowed: BATCH_ALLOWED, source: "Batch API CreateSchedulingPolicy Name" },
  },
  aws_sfn_state_machine: {
    name: { min: 1, max: 80, pattern: /^[A-Za-z0-9_-]+$/, allowed: "letters, digits, hyphens and underscores", prefixMax: 54, source: "Step Functions API CreateStateMachine name; provider internal/service/sfn/state_machine.go" },
  },
  aws_lambda_function: {
    function_name: { min: 1, max: 64, pattern: /^[A-Za-z0-9_-]+$/, allowed: "letters, digits, hyphens and underscores", source: "Lambda API CreateFunction FunctionName (the name form); provider internal/service/lambda/function.go" },
  },
  aws_ssm_document: {
    name: {
      min: 3,
      max: 128,
      pattern: /^[A-Za-z0-9_.-]+$/,
      allowed: "letters, digits and _.-",
      refuse: [{ pattern: /^(aws|amazon|amzn)/i, reason: "must not start with aws, amazon or amzn (reserved)" }],
      source: "SSM API CreateDocument Name",
    },
  },
  aws_dynamodb_table: {
    name: { min: 3, max: 255, pattern: /^[A-Za-z0-9_.-]+$/, allowed: "letters, digits and ._-", source: "DynamoDB API CreateTable TableName" },
  },
  aws_ecr_repository: {
    name: {
      min: 2,
      max: 256,
      pattern: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
      allowed: "lowercase letters and digits, separated by single ., _, - or /",
      source: "ECR API CreateRepository repositoryName",
    },
  },
  aws_eks_cluster: {
    name: { min: 1, max: 100, pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/, allowed: "letters, digits, hyphens and underscores, starting with a letter or digit", source: "EKS API CreateCluster name" },
  },
  aws_eks_node_group: {
    node_group_name: { min: 1, max: 63, pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/, allowed: "letters, digits, hyphens and underscores, starting with a letter or digit", prefixMax: 37, source: "EKS API CreateNodegroup nodegroupName" },
  },
  aws_launch_template: {
    name: { min: 3, max: 125, pattern: /^[A-Za-z0-9().\-/_]+$/, allowed: "letters, digits and ().-/_", prefixMax: 99, source: "provider internal/verify/validate.go ValidLaunchTemplateName (AWS allows 128)" },
  },
  aws_kms_alias: {
    name: {
      min: 7,
      max: 256,
      pattern: /^alias\/[A-Za-z0-9:/_-]+$/,
      allowed: "alias/ then letters, digits and :/_-",
      refuse: [{ pattern: /^alias\/aws/, reason: "must not start with alias/aws (reserved for AWS managed keys; the provider refuses any alias/aws...)" }],
      prefixMax: 230,
      source: "KMS API CreateAlias AliasName",
    },
  },
  aws_secretsmanager_secret: {
    name: {
      min: 1,
      max: 512,
      pattern: /^[A-Za-z0-9/_+=.@-]+$/,
      allowed: "letters, digits and /_+=.@-",
      refuse: [{ pattern: /-[A-Za-z0-9]{6}$/, reason: "must not end with a hyphen and six characters (Secrets Manager would confuse it with an ARN's random suffix)" }],
      prefixMax: 486,
      source: "Secrets Manager API CreateSecret Name",
    },
  },
  aws_security_group: {
    name: {
      min: 1,
      max: 255,
      pattern: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
      allowed: "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*",
      refuse: [{ pattern: /^sg-/, reason: "must not start with sg-" }],
      prefixMax: 229,
      source: "EC2 API CreateSecurityGroup GroupName",
    },
  },
  aws_lb: {
    name: {
      min: 1,
      max: 32,
      pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
      allowed: "letters, digits and hyphens, starting and ending with a letter or digit",
      refuse: [{ pattern: /^internal-/, reason: "must not start with internal- (reserved)" }],
      prefixMax: 6,
      source: "ELB API CreateLoadBalancer Name; provider internal/service/elbv2/validate.go (validName, name_prefix at most 6)",
    },
  },
  aws_lb_target_group: {
    name: {
      min: 1,
      max: 32,
      pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
      allowed: "letters, digits and hyphens, starting and ending with a letter or digit",
      prefixMax: 6,
      source: "ELB API CreateTargetGroup Name; provider internal/service/elbv2/target_group.go (name_prefix at most 6)",
    },
  },
  aws_ecs_cluster: {
    name: { min: 1, max: 255, pattern: /^[A-Za-z0-9_-]+$/, allowed: "letters, digits, hyphens and underscores", source: "ECS API CreateCluster clusterName" },
  },
  aws_ecs_service: {
    name: { min: 1, max: 255, pattern: /^[A-Za-z0-9_-]+$/, allowed: "letters, digits, hyphens and underscores", source: "ECS API CreateService serviceName (unique within the cluster)" },
  },
  aws_wafv2_web_acl: {
    name: { min: 1, max: 128, pattern: /^[\w-]+$/, allowed: "letters, digits, hyphens and underscores", source: "WAFV2 API CreateWebACL Name; provider internal/service/wafv2/web_acl.go" },
    "visibility_config.metric_name": {
      min: 1,
      max: 128,
      pattern: /^[A-Za-z0-9_-]+$/,
      allowed: "letters, digits, hyphens and underscores (the provider is stricter than AWS's 255 and #:./)",
      refuse: [{ pattern: /^(All|Default_Action)$/, reason: "must not be All or Default_Action (reserved)" }],
      shared: true,
      source: "provider internal/service/wafv2/schemas.go visibilityConfigSchema",
    },
  },
  helm_release: {
    name: { min: 1, max: 53, pattern: DNS_LABEL, allowed: DNS_LABEL_ALLOWED, source: "Helm: release names are at most 53 characters (provider-helm resource_release.go)" },
  },
  kubernetes_namespace_v1: {
    "metadata.name": { min: 1, max: 63, pattern: DNS_LABEL, allowed: DNS_LABEL_ALLOWED, source: "Kubernetes API conventions: namespace names (RFC 1123 label)" },
  },
  kubernetes_service_v1: {
    "metadata.name": {
      min: 1,
      max: 63,
      pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
      allowed: "lowercase letters, digits and hyphens, starting with a letter (RFC 1035 label)",
      source: "Kubernetes API conventions: Service names (RFC 1035 label)",
    },
  },
  // A Job's name becomes the value of its pods' job-name label: 63 characters at most.
  kubernetes_job_v1: {
    "metadata.name": { min: 1, max: 63, pattern: DNS_LABEL, allowed: DNS_LABEL_ALLOWED, source: "Kubernetes Job: the name is a label value (63)" },
  },
  kubernetes_deployment_v1: { "metadata.name": kubernetesObject },
  kubernetes_config_map_v1: { "metadata.name": kubernetesObject },
  kubernetes_service_account_v1: { "metadata.name": kubernetesObject },
  kubernetes_horizontal_pod_autoscaler_v2: { "metadata.name": kubernetesObject },
  kubernetes_pod_disruption_budget_v1: { "metadata.name": kubernetesObject },
  kubernetes_network_policy_v1: { "metadata.name": kubernetesObject },
  kubernetes_ingress_v1: { "metadata.name": kubernetesObject },
  kubernetes_manifest: { "manifest.metadata.name": kubernetesObject },
};

/**
 * Arguments that look like names but are not names of the resource the project chooses (an AWS service, a managed
 * add-on, a metric AWS publishes, the site's domain): the coverage test accepts them without a rule, for the reason
 * given.
 */
export const NOT_RESOURCE_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  aws_acm_certificate: { domain_name: "the site's domain, validated by the environment schema as a DNS name" },
  aws_eks_addon: { addon_name: "the name of an EKS add-on AWS publishes" },
  aws_vpc_endpoint: { service_name: "the name of an AWS service's endpoint" },
  aws_cloudwatch_metric_alarm: { metric_name: "a metric the watched service publishes" },
  aws_db_instance: { ca_cert_identifier: "a certificate authority RDS offers" },
  aws_db_proxy_target: { target_group_name: "the proxy's default target group, named by RDS" },
};
