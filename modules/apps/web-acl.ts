import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Construct } from "constructs";
import { EncryptionKey } from "../kms/kms-key";
import { LogGroup } from "../logging/log-group";

/**
 * AWS managed rule groups the web ACL applies, in priority order: the common set, known bad inputs, SQL injection
 * (the API builds queries from tenants' input) and IP reputation.
 */
export const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesSQLiRuleSet",
  "AWSManagedRulesAmazonIpReputationList",
] as const;

/**
 * Web ACL capacity units of each rule group, from AWS's list of managed rule groups
 * (https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html). A web ACL's first 1,500
 * units are included in its price; a rate-based statement without scope-down costs 2.
 */
export const MANAGED_RULE_GROUP_CAPACITY: Readonly<Record<(typeof MANAGED_RULE_GROUPS)[number], number>> = {
  AWSManagedRulesCommonRuleSet: 700,
  AWSManagedRulesKnownBadInputsRuleSet: 200,
  AWSManagedRulesSQLiRuleSet: 200,
  AWSManagedRulesAmazonIpReputationList: 25,
};
export const RATE_BASED_RULE_CAPACITY = 2;
export const INCLUDED_WEB_ACL_CAPACITY = 1500;

export interface WebAclProps {
  /** Turns on the deletion protection of its audit log group (where the environment requires deletion protection). */
  readonly logDeletionProtection: boolean;

  /** Resource name prefix, `<project>-<env>`. */
  readonly namePrefix: string;
  /** Requests one IP may make per 5 minutes before it is blocked. */
  readonly rateLimit: number;
  /** Key that encrypts the firewall's log group. */
  readonly logsKey: EncryptionKey;
  /** Days the firewall's log records are kept. */
  readonly logRetentionDays: number;
  /** Description of the web ACL. @default "Public entry of the proteomics web application" */
  readonly description?: string;
  /**
   * Rules of each managed group that only count instead of blocking, where the protected site legitimately receives
   * what they match (for example webhook bodies that quote pull requests and their SQL). @default DEFAULT_COUNTED_RULES
   */
  readonly countedRules?: CountedRules;
}

/** A managed rule group of the web ACL. */
export type ManagedRuleGroup = (typeof MANAGED_RULE_GROUPS)[number];
/** Rules of some managed groups that only count. */
export type CountedRules = Readonly<Partial<Record<ManagedRuleGroup, readonly string[]>>>;

/**
 * Rules the web application's ACL only counts: the common set's 8 KB body limit, since an analysis submission lists
 * every file of every sample; the files themselves never cross the ALB (browsers PUT them to S3).
 */
export const DEFAULT_COUNTED_RULES: CountedRules = { AWSManagedRulesCommonRuleSet: ["SizeRestrictions_BODY"] };

const visibility = (metricName: string) => ({ SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: metricName });

/**
 * The regional WAFv2 web ACL in front of the ALB: AWS's common, known-bad-inputs, SQL-injection and IP-reputation
 * rule groups, and a per-IP rate limit. Requests are allowed unless a rule blocks them; every decision is logged (authorization
 * headers and cookies redacted) to an encrypted log group.
 */
export class WebAcl extends Construct {
  /** Web ACL ARN, for the ingress annotation. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const name = `${props.namePrefix}-web`;
    const counted = props.countedRules ?? DEFAULT_COUNTED_RULES;
    const rules = [
      ...MANAGED_RULE_GROUPS.map((group, index) => ({
        Name: group,
        Priority: (index + 1) * 10,
        OverrideAction: { None: {} },
        Statement: {
          ManagedRuleGroupStatement: {
            VendorName: "AWS",
            Name: group,
            ...((counted[group] ?? []).length > 0 ? { RuleActionOverrides: counted[group]!.map((rule) => ({ Name: rule, ActionToUse: { Count: {} } })) } : {}),
          },
        },
        VisibilityConfig: visibility(group),
      })),
      {
        Name: "RateLimitPerIp",
        Priority: (MANAGED_RULE_GROUPS.length + 1) * 10,
        Action: { Block: {} },
        Statement: { RateBasedStatement: { Limit: props.rateLimit, AggregateKeyType: "IP", EvaluationWindowSec: 300 } },
        VisibilityConfig: visibility("RateLimitPerIp"),
      },
    ];
    const acl = new Wafv2WebAcl(this, "acl", {
      name,
      description: props.description ?? "Public entry of the proteomics web application",
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      ruleJson: JSON.stringify(rules),
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
    });
    this.arn = acl.arn;
    const logGroup = new LogGroup(this, "log-group", {
      name: `aws-waf-logs-${props.namePrefix}`,
      retentionDays: props.logRetentionDays,
      encryptionKey: props.logsKey,
      logClass: "audit",
      deletionProtection: props.logDeletionProtection,
    });
    new Wafv2WebAclLoggingConfiguration(this, "logging", {
      resourceArn: acl.arn,
      logDestinationConfigs: [logGroup.arn],
      redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
    });
  }
}
