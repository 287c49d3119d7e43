import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { Construct } from "constructs";
import { AlertRule } from "../observability/alert-rule";
import { AlarmDestination, ThresholdAlarm } from "../observability/threshold-alarm";

/** The namespace of the security metrics: `<prefix>/security`. */
export const securityNamespace = (namePrefix: string) => `${namePrefix}/security`;

/** A security signal read from a log group by a metric filter, alarmed at its first occurrence. */
export interface SecuritySignal {
  /** Kebab-case id: the metric filter, the metric (PascalCase) and the alarm `<prefix>-security-<id>`. */
  readonly id: string;
  /** The CloudWatch Logs filter pattern. */
  readonly pattern: string;
  /** What happened and where the guide's runbook for it is: the alarm's description, which the notification carries. */
  readonly description: string;
}

/** `a || b || c` over one JSON field, as CloudWatch Logs filter syntax. */
const anyOf = (field: string, values: readonly string[]) => `(${values.map((value) => `$.${field} = "${value}"`).join(" || ")})`;

/** IAM writes that change who may do what (CIS AWS Foundations 4.4, plus roles, trusts and boundaries). */
const IAM_POLICY_CHANGES = [
  "CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion", "SetDefaultPolicyVersion",
  "PutRolePolicy", "DeleteRolePolicy", "AttachRolePolicy", "DetachRolePolicy", "PutUserPolicy", "DeleteUserPolicy",
  "AttachUserPolicy", "DetachUserPolicy", "PutGroupPolicy", "DeleteGroupPolicy", "AttachGroupPolicy", "DetachGroupPolicy",
  "CreateRole", "UpdateAssumeRolePolicy", "PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary", "CreateUser", "CreateAccessKey",
];

/** EKS API calls that change who may use the cluster. */
const EKS_ACCESS_CHANGES = ["CreateAccessEntry", "UpdateAccessEntry", "DeleteAccessEntry", "AssociateAccessPolicy", "DisassociateAccessPolicy"];

/** Changes to a bucket's policy or public access block. */
const BUCKET_POLICY_CHANGES = ["PutBucketPolicy", "DeleteBucketPolicy", "PutBucketPublicAccessBlock", "DeleteBucketPublicAccessBlock", "PutBucketAcl"];

/** Changes that stop or narrow the trail. */
const TRAIL_CHANGES = ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors"];

/**
 * The signals read from the audit trail's log group (CIS AWS Foundations' metric filters, narrowed to this platform):
 * every one is rare in normal operation, so the first occurrence alarms. `deployRoleArn`'s own changes are expected
 * (every apply makes some) and excluded where the deploy role is the only legitimate author.
 */
export function trailSignals(props: { readonly deployRoleArn: string; readonly protectedBuckets: readonly string[] }): SecuritySignal[] {
  const notTheDeployRole = `($.userIdentity.sessionContext.sessionIssuer.arn != "${props.deployRoleArn}")`;
  return [
    {
      id: "root-account-use",
      pattern: '{ ($.userIdentity.type = "Root") && ($.userIdentity.invokedBy NOT EXISTS) && ($.eventType != "AwsServiceEvent") }',
      description: "The account's root user was used. Runbook: docs/provisioning.md, security incident, root account use.",
    },
    {
      id: "console-sign-in-without-mfa",
      pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
      description: "An IAM user signed in to the console without MFA. Runbook: docs/provisioning.md, security incident, console sign-in without MFA.",
    },
    {
      id: "iam-change-outside-deploy",
      pattern: `{ ($.eventSource = "iam.amazonaws.com") && ${anyOf("eventName", IAM_POLICY_CHANGES)} && ${notTheDeployRole} }`,
      description: "IAM policies, roles or users changed by someone other than the deploy role. Runbook: docs/provisioning.md, security incident, identity change outside a deploy.",
    },
    {
      id: "cluster-access-change-outside-deploy",
      pattern: `{ ($.eventSource = "eks.amazonaws.com") && ${anyOf("eventName", EKS_ACCESS_CHANGES)} && ${notTheDeployRole} }`,
      description: "EKS access entries changed by someone other than the deploy role. Runbook: docs/provisioning.md, security incident, identity change outside a deploy.",
    },
    {
      id: "key-disabled-or-scheduled-for-deletion",
      pattern: '{ ($.eventSource = "kms.amazonaws.com") && (($.eventName = "DisableKey") || ($.eventName = "ScheduleKeyDeletion")) }',
      description: "A KMS key was disabled or scheduled for deletion: the data it encrypts becomes unreadable. Runbook: docs/provisioning.md, security incident, key disabled or scheduled for deletion.",
    },
    {
      id: "protected-bucket-policy-change",
      pattern: `{ ($.eventSource = "s3.amazonaws.com") && ${anyOf("eventName", BUCKET_POLICY_CHANGES)} && ${anyOf("requestParameters.bucketName", props.protectedBuckets)} }`,
      description: "The policy, ACL or public access block of a customer data or state bucket changed. Runbook: docs/provisioning.md, security incident, data bucket policy change.",
    },
    {
      id: "trail-stopped-or-changed",
      pattern: `{ ($.eventSource = "cloudtrail.amazonaws.com") && ${anyOf("eventName", TRAIL_CHANGES)} }`,
      description: "The audit trail was stopped, deleted or narrowed. Runbook: docs/provisioning.md, security incident, trail stopped.",
    },
  ];
}

/** `kubectl exec` (or attach) into a pod of `namespace`, from the EKS API server's audit log. */
export function execSignal(namespace: string): SecuritySignal {
  return {
    id: "kubectl-exec-into-app-pod",
    // Any verb: kubectl sends exec as a POST (create), and over WebSockets (kubectl 1.30 and later) as a GET.
    pattern: `{ ($.objectRef.namespace = "${namespace}") && (($.objectRef.subresource = "exec") || ($.objectRef.subresource = "attach")) }`,
    description: `Someone ran kubectl exec or attach in a pod of ${namespace}. Runbook: docs/provisioning.md, security incident, kubectl exec into an application pod.`,
  };
}

/**
 * Kubernetes RBAC changed (roles, bindings and their cluster-wide forms) by an identity other than the deploy role's
 * sessions, EKS's own managers (`eks:*`) and the cluster's controllers (`system:*`), from the EKS API server's audit
 * log. An access entry maps the deploy role to `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
 */
export function rbacChangeSignal(props: { readonly accountId: string; readonly deployRoleName: string }): SecuritySignal {
  return {
    id: "rbac-change-outside-deploy",
    pattern:
      `{ ($.objectRef.apiGroup = "rbac.authorization.k8s.io") && (($.verb = "create") || ($.verb = "update") || ($.verb = "patch") || ($.verb = "delete")) ` +
      `&& ($.user.username != "arn:aws:sts::${props.accountId}:assumed-role/${props.deployRoleName}/*") && ($.user.username != "eks:*") && ($.user.username != "system:*") }`,
    description: "Kubernetes RBAC changed by someone other than the deploy role. Runbook: docs/provisioning.md, security incident, identity change outside a deploy.",
  };
}

/** Failed authentications to the metrics database (a wrong or expired IAM token, a guessed user), from its log. */
export function databaseAuthenticationSignal(): SecuritySignal {
  return {
    id: "database-authentication-failures",
    pattern: '?"password authentication failed" ?"PAM authentication failed"',
    description: "Authentication to the metrics database failed. Runbook: docs/provisioning.md, security incident, database authentication failures.",
  };
}

export interface SecurityAlarmsProps {
  /** The alerts topic. */
  readonly destination: AlarmDestination;
  /** The log group the signals are read from. */
  readonly logGroupName: string;
  /** The signals. */
  readonly signals: readonly SecuritySignal[];
  /** Occurrences in 5 minutes that alarm. @default 1 */
  readonly threshold?: number;
}

/** One metric filter and one alarm per signal, in the environment's security namespace. */
export class SecurityAlarms extends Construct {
  constructor(scope: Construct, id: string, props: SecurityAlarmsProps) {
    super(scope, id);
    const namespace = securityNamespace(props.destination.namePrefix);
    for (const signal of props.signals) {
      const metricName = signal.id.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
      new CloudwatchLogMetricFilter(this, `filter-${signal.id}`, {
        name: `${props.destination.namePrefix}-${signal.id}`,
        logGroupName: props.logGroupName,
        pattern: signal.pattern,
        metricTransformation: { name: metricName, namespace, value: "1", defaultValue: "0" },
      });
      new ThresholdAlarm(this, `alarm-${signal.id}`, {
        destination: props.destination,
        name: `security-${signal.id}`,
        description: signal.description,
        metric: { namespace, metricName, dimensions: {}, statistic: "Sum" },
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: props.threshold ?? 1,
        treatMissingData: "notBreaching",
      });
    }
  }
}

/** The findings that alert: GuardDuty at or above a severity, and Security Hub's critical ones. */
export class FindingAlerts extends Construct {
  constructor(scope: Construct, id: string, props: { readonly destination: AlarmDestination; readonly guardDutySeverity: number }) {
    super(scope, id);
    new AlertRule(this, "guardduty", {
      destination: props.destination,
      name: "guardduty-finding",
      description: `GuardDuty findings of severity ${props.guardDutySeverity} or more, to the alerts topic`,
      eventPattern: { source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"], detail: { severity: [{ numeric: [">=", props.guardDutySeverity] }] } },
      message: {
        inputPaths: { type: "$.detail.type", severity: "$.detail.severity", id: "$.detail.id", region: "$.region" },
        inputTemplate: '"GuardDuty finding <type> (severity <severity>) in <region>, id <id>. Runbook: docs/provisioning.md, security incident, GuardDuty finding."',
      },
    });
    new AlertRule(this, "security-hub", {
      destination: props.destination,
      name: "security-hub-critical",
      description: "New, active Security Hub findings of critical severity, to the alerts topic",
      eventPattern: {
        source: ["aws.securityhub"],
        "detail-type": ["Security Hub Findings - Imported"],
        detail: { findings: { Severity: { Label: ["CRITICAL"] }, Workflow: { Status: ["NEW"] }, RecordState: ["ACTIVE"] } },
      },
      message: {
        inputPaths: { title: "$.detail.findings[0].Title", resource: "$.detail.findings[0].Resources[0].Id" },
        inputTemplate: '"Security Hub critical finding: <title> on <resource>. Runbook: docs/provisioning.md, security incident, Security Hub critical finding."',
      },
    });
  }
}
