import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Construct } from "constructs";
import { EncryptionKey } from "../kms/kms-key";
import { LogGroup } from "../logging/log-group";

/** AWS managed rule groups the web ACL applies, in priority order. */
export const MANAGED_RULE_GROUPS = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"] as const;

export interface WebAclProps {
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
   * Rules of the common rule set that only count instead of blocking, where the protected site legitimately receives
   * what they match (for example webhook bodies that quote pull requests). @default ["SizeRestrictions_BODY"]
   */
  readonly countedCommonRules?: readonly string[];
}

/** Rules of AWSManagedRulesCommonRuleSet the web application's ACL only counts (see the override below). */
export const DEFAULT_COUNTED_COMMON_RULES = ["SizeRestrictions_BODY"] as const;

const visibility = (metricName: string) => ({ SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: metricName });

/**
 * The regional WAFv2 web ACL in front of the ALB: AWS's common, known-bad-inputs and IP-reputation rule groups, and
 * a per-IP rate limit. Requests are allowed unless a rule blocks them; every decision is logged (authorization
 * headers and cookies redacted) to an encrypted log group.
 */
export class WebAcl extends Construct {
  /** Web ACL ARN, for the ingress annotation. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const name = `${props.namePrefix}-web`;
    const counted = props.countedCommonRules ?? DEFAULT_COUNTED_COMMON_RULES;
    const rules = [
      ...MANAGED_RULE_GROUPS.map((group, index) => ({
        Name: group,
        Priority: (index + 1) * 10,
        OverrideAction: { None: {} },
        Statement: {
          ManagedRuleGroupStatement: {
            VendorName: "AWS",
            Name: group,
            // Analysis submissions list every file of every sample, above the 8 KB body limit of the common set;
            // files themselves never cross the ALB (browsers PUT them to S3).
            ...(group === "AWSManagedRulesCommonRuleSet" && counted.length > 0
              ? { RuleActionOverrides: counted.map((rule) => ({ Name: rule, ActionToUse: { Count: {} } })) }
              : {}),
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
    });
    new Wafv2WebAclLoggingConfiguration(this, "logging", {
      resourceArn: acl.arn,
      logDestinationConfigs: [logGroup.arn],
      redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
    });
  }
}
