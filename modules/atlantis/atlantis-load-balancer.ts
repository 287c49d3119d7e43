import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ALB_LOG_PREFIX, AlbLogBucket } from "../apps/alb-log-bucket";
import { SiteCertificate } from "../apps/site-certificate";
import { ELB_NAME_MAX, loadBalancerName, targetGroupName } from "./atlantis-names";
import { WebAcl } from "../apps/web-acl";
import { EncryptionKey } from "../kms/kms-key";
import { SecurityGroup } from "../network/security-group";
import { SecureBucket } from "../storage/secure-bucket";
import { ATLANTIS_EVENTS_PATH, ATLANTIS_HEALTH_PATH, ATLANTIS_PORT } from "./atlantis-image";
import { chunks } from "./source-ranges";

/** TLS policy of the HTTPS listener: TLS 1.3 and 1.2 with forward-secret ciphers only (ELB's recommended policy). */
export const ATLANTIS_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** What the listener answers when no rule matches: an unknown host, path or source. */
export const NO_ROUTE_RESPONSE = { statusCode: "404", contentType: "text/plain", messageBody: "Not found" } as const;

/**
 * Rules of AWSManagedRulesCommonRuleSet the Atlantis web ACL only counts: GitHub's webhook payloads quote pull
 * request titles, bodies, comments and diffs (so paths, URLs, markup and the metadata address legitimately appear in
 * them) and often exceed 8 KB. The webhooks already come only from GitHub's ranges and are authenticated by their
 * HMAC signature; blocking one would silently lose a plan or an apply command.
 */
export const ATLANTIS_COUNTED_COMMON_RULES = ["SizeRestrictions_BODY", "CrossSiteScripting_BODY", "GenericLFI_BODY", "GenericRFI_BODY", "EC2MetaDataSSRF_BODY"] as const;

/** Rules of AWSManagedRulesSQLiRuleSet the Atlantis web ACL only counts: the diffs webhooks quote include SQL migrations. */
export const ATLANTIS_COUNTED_SQLI_RULES = ["SQLi_BODY", "SQLiExtendedPatterns_BODY"] as const;

/** Largest number of values ELB accepts in one condition, and in one rule across its conditions. */
const VALUES_PER_CONDITION = 3;
const VALUES_PER_RULE = 5;
/** Listener rule priorities of the server at position `index`: webhooks from `base`, the UI from `base + 50`. */
const PRIORITY_STRIDE = 100;
const UI_PRIORITY_OFFSET = 50;

const ELB_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

/** Throws unless `name` is a valid load balancer or target group name (ELB API CreateLoadBalancer/CreateTargetGroup Name). */
export function checkElbName(kind: string, name: string): string {
  if (name.length > ELB_NAME_MAX || !ELB_NAME.test(name) || name.startsWith("internal-")) {
    throw new Error(
      `Atlantis: ${kind} name "${name}" must be 1 to ${ELB_NAME_MAX} letters, digits and hyphens, neither starting nor ending with a hyphen nor starting with internal- (shorten namePrefix or the server id)`,
    );
  }
  return name;
}

export interface AtlantisLoadBalancerProps {
  /** Resource name prefix, `<project>-<env>`. */
  readonly namePrefix: string;
  /** Account of the load balancer (the log bucket's name and policy name it). */
  readonly accountId: string;
  /** Region of the load balancer (picks Elastic Load Balancing's log-delivery principal). */
  readonly region: string;
  /** The VPC. */
  readonly vpcId: string;
  /** Public subnets, at least two availability zones. */
  readonly subnetIds: readonly string[];
  /** Domain of the certificate; every server hostname is the domain or one label under it. */
  readonly domain: string;
  /** Route 53 zone of the domain: validation record and an alias record per hostname. @default none (both by hand) */
  readonly hostedZoneId?: string;
  /** GitHub's webhook source ranges (normalized): they may POST /events. */
  readonly webhookCidrs: readonly string[];
  /** Operator networks (normalized): they may reach the UI, any path. */
  readonly uiCidrs: readonly string[];
  /** Bucket that receives the access log bucket's own S3 server access logs. */
  readonly accessLogs: SecureBucket;
  /** Key of the web ACL's log group. */
  readonly logsKey: EncryptionKey;
  /** Days access logs and firewall logs are kept. */
  readonly logRetentionDays: number;
  /** Requests one IP may make per 5 minutes before the web ACL blocks it. */
  readonly wafRateLimit: number;
  /** Deletion protection of the load balancer. */
  readonly deletionProtection: boolean;
  /** Adds Terraform `prevent_destroy` to the access log bucket. */
  readonly preventDestroy: boolean;
}

/** One server's entry on the load balancer. */
export interface AtlantisRoute {
  /** Target group of the server's task (ip targets on the Atlantis port). */
  readonly targetGroupArn: string;
  /** `targetgroup/<name>/<id>`, the TargetGroup dimension of its metrics. */
  readonly targetGroupArnSuffix: string;
  /** The listener rules that forward to it: an ECS service may register targets only once these exist. */
  readonly rules: readonly ITerraformDependable[];
}

/**
 * The internet-facing entry of the Atlantis servers: an Application Load Balancer in the public subnets with one
 * HTTPS listener (TLS 1.3/1.2 policy, ACM certificate of the domain and its subdomains), no HTTP listener, invalid
 * header fields dropped, access logs to its own bucket, the shared web ACL (managed rules, per-IP rate limit), and a
 * security group that admits 443 only from GitHub's webhook ranges and the operator networks and reaches nothing but
 * the Atlantis tasks. Requests reach a server only through its rules (`addServer`): `POST /events` on its host from a
 * webhook range, anything on its host from an operator network; everything else gets a fixed 404.
 */
export class AtlantisLoadBalancer extends Construct {
  /** Load balancer ARN. */
  readonly arn: string;
  /** `app/<name>/<id>`, the LoadBalancer dimension of its metrics. */
  readonly arnSuffix: string;
  /** DNS name (the hostnames' alias or CNAME target). */
  readonly dnsName: string;
  /** Hosted zone of the DNS name, for alias records. */
  readonly zoneId: string;
  /** Security group of the load balancer. */
  readonly securityGroup: SecurityGroup;
  /** The certificate: its validation record is what to create by hand without a hosted zone. */
  readonly certificate: SiteCertificate;
  /** ARN of the web ACL associated with the load balancer. */
  readonly webAclArn: string;
  /** Name of the access log bucket. */
  readonly accessLogBucketName: string;
  private readonly props: AtlantisLoadBalancerProps;
  private readonly listener: LbListener;
  private servers = 0;

  constructor(scope: Construct, id: string, props: AtlantisLoadBalancerProps) {
    super(scope, id);
    this.props = props;
    const name = checkElbName("load balancer", loadBalancerName(props.namePrefix));
    if (props.subnetIds.length < 2) throw new Error("Atlantis: publicSubnetIds must name at least two subnets (an ALB spans two availability zones or more)");

    this.securityGroup = new SecurityGroup(this, "security-group", {
      groupName: `${props.namePrefix}-atlantis-alb`,
      description: "Atlantis load balancer: HTTPS from GitHub's webhook ranges and the operator networks only",
      vpcId: props.vpcId,
    });
    for (const cidr of [...new Set([...props.webhookCidrs, ...props.uiCidrs])]) {
      const sources = [props.webhookCidrs.includes(cidr) && "GitHub webhooks", props.uiCidrs.includes(cidr) && "operators (UI)"].filter(Boolean).join(" and ");
      this.securityGroup.allowFromCidr(`https-${cidr.replace(/[./]/g, "-")}`, cidr, 443, `HTTPS from ${cidr}: ${sources}`);
    }

    const logs = new AlbLogBucket(this, "access-logs", {
      bucketName: `${props.namePrefix}-atlantis-alb-logs-${props.accountId}`,
      accountId: props.accountId,
      region: props.region,
      retentionDays: props.logRetentionDays,
      accessLogs: props.accessLogs,
      preventDestroy: props.preventDestroy,
    });
    this.accessLogBucketName = logs.name;

    const loadBalancer = new Lb(this, "load-balancer", {
      name,
      loadBalancerType: "application",
      internal: false,
      ipAddressType: "ipv4",
      subnets: [...props.subnetIds],
      securityGroups: [this.securityGroup.id],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection,
      accessLogs: { bucket: logs.name, prefix: ALB_LOG_PREFIX, enabled: true },
      // The load balancer checks that it can write to the bucket when it is created or its logging changes.
      dependsOn: [logs.policy],
    });
    this.arn = loadBalancer.arn;
    this.arnSuffix = loadBalancer.arnSuffix;
    this.dnsName = loadBalancer.dnsName;
    this.zoneId = loadBalancer.zoneId;

    this.certificate = new SiteCertificate(this, "certificate", {
      domain: props.domain,
      hostedZoneId: props.hostedZoneId,
      addressName: "atlantis_certificate",
      includeWildcard: true,
    });
    this.listener = new LbListener(this, "https", {
      loadBalancerArn: loadBalancer.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy: ATLANTIS_TLS_POLICY,
      certificateArn: this.certificate.arn,
      defaultAction: [{ type: "fixed-response", fixedResponse: { ...NO_ROUTE_RESPONSE } }],
    });

    const webAcl = new WebAcl(this, "web-acl", {
      namePrefix: `${props.namePrefix}-atlantis`,
      description: "Entry of the Atlantis servers (GitHub webhooks and the operators' UI)",
      rateLimit: props.wafRateLimit,
      logsKey: props.logsKey,
      logRetentionDays: props.logRetentionDays,
      logDeletionProtection: props.deletionProtection,
      countedRules: { AWSManagedRulesCommonRuleSet: ATLANTIS_COUNTED_COMMON_RULES, AWSManagedRulesSQLiRuleSet: ATLANTIS_COUNTED_SQLI_RULES },
    });
    this.webAclArn = webAcl.arn;
    new Wafv2WebAclAssociation(this, "web-acl-association", { resourceArn: loadBalancer.arn, webAclArn: webAcl.arn });
  }

  /**
   * Routes `hostname` to a new target group of `serverId`: `POST /events` from each group of webhook ranges, and
   * every request from each group of operator ranges (ELB takes at most three values per condition and five per
   * rule, so long lists become several rules). With a hosted zone, the hostname gets an alias record.
   */
  addServer(serverId: string, hostname: string): AtlantisRoute {
    const base = PRIORITY_STRIDE * ++this.servers;
    const targetGroup = new LbTargetGroup(this, `target-group-${serverId}`, {
      name: checkElbName("target group", targetGroupName(this.props.namePrefix, serverId)),
      port: ATLANTIS_PORT,
      protocol: "HTTP",
      targetType: "ip",
      vpcId: this.props.vpcId,
      deregistrationDelay: "30",
      healthCheck: {
        enabled: true,
        path: ATLANTIS_HEALTH_PATH,
        protocol: "HTTP",
        port: "traffic-port",
        matcher: "200",
        interval: 30,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
    });
    const forward = [{ type: "forward", targetGroupArn: targetGroup.arn }];
    const host = { hostHeader: { values: [hostname] } };
    // Host, path and method take three of the five values of a rule: two webhook ranges per rule.
    const webhookRules = chunks(this.props.webhookCidrs, VALUES_PER_RULE - 3).map(
      (cidrs, index) =>
        new LbListenerRule(this, `${serverId}-webhooks-${index}`, {
          listenerArn: this.listener.arn,
          priority: base + index,
          action: forward,
          condition: [host, { pathPattern: { values: [ATLANTIS_EVENTS_PATH] } }, { httpRequestMethod: { values: ["POST"] } }, { sourceIp: { values: cidrs } }],
        }),
    );
    const uiRules = chunks(this.props.uiCidrs, VALUES_PER_CONDITION).map(
      (cidrs, index) =>
        new LbListenerRule(this, `${serverId}-ui-${index}`, {
          listenerArn: this.listener.arn,
          priority: base + UI_PRIORITY_OFFSET + index,
          action: forward,
          condition: [host, { sourceIp: { values: cidrs } }],
        }),
    );
    if (this.props.hostedZoneId) {
      new Route53Record(this, `${serverId}-alias`, {
        zoneId: this.props.hostedZoneId,
        name: hostname,
        type: "A",
        alias: { name: this.dnsName, zoneId: this.zoneId, evaluateTargetHealth: false },
      });
    }
    return { targetGroupArn: targetGroup.arn, targetGroupArnSuffix: targetGroup.arnSuffix, rules: [...webhookRules, ...uiRules] };
  }
}
