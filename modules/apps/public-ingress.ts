import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/** TLS policy of the HTTPS listener: TLS 1.3, and TLS 1.2 with forward-secret AEAD ciphers only. */
export const ALB_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** A path of the site and the Service that serves it. */
export interface IngressRoute {
  /** Path prefix, e.g. `/api`. */
  readonly path: string;
  /** Service that serves it, in the Ingress's namespace. */
  readonly serviceName: string;
  /** Port of that Service. */
  readonly port: number;
}

export interface PublicIngressProps {
  /** Ingress name. */
  readonly name: string;
  /** Ingress namespace (the Services'). */
  readonly namespace: string;
  /** The site's hostname: the Ingress rule's host. */
  readonly domain: string;
  /** ACM certificate of the domain for the HTTPS listener. */
  readonly certificateArn: string;
  /** Route 53 zone in which to point the domain at the ALB. @default none (DNS is a manual step) */
  readonly hostedZoneId?: string;
  /** Web ACL in front of the ALB. */
  readonly webAclArn: string;
  /** Bucket of the ALB's access logs. */
  readonly accessLogBucket: string;
  /** Key prefix of the access logs in that bucket. */
  readonly accessLogPrefix: string;
  /**
   * The access log bucket's policy: Elastic Load Balancing checks that it may write there when the load balancer's
   * logging is turned on, so the controller's first reconcile fails without it.
   */
  readonly accessLogBucketPolicy: ITerraformDependable;
  /** Turn on the ALB's deletion protection. */
  readonly deletionProtection: boolean;
  /** Tags of the ALB and its target groups (the AWS provider's default tags do not reach them). */
  readonly tags: Readonly<Record<string, string>>;
  /** Routes, most specific first. */
  readonly routes: readonly IngressRoute[];
}

/**
 * The application's entry: an Ingress the AWS Load Balancer Controller turns into one internet-facing ALB in the
 * public subnets, targeting pods by IP, listening on 443 with the site's certificate and a modern TLS policy (80
 * only redirects to 443), behind the web ACL, logging every request, dropping malformed headers. With a hosted zone,
 * the domain points at the ALB once it exists.
 */
export class PublicIngress extends Construct {
  /** DNS name of the ALB (known after the apply). */
  readonly loadBalancerHostname: string;

  constructor(scope: Construct, id: string, props: PublicIngressProps) {
    super(scope, id);
    const attributes = [
      "access_logs.s3.enabled=true",
      `access_logs.s3.bucket=${props.accessLogBucket}`,
      `access_logs.s3.prefix=${props.accessLogPrefix}`,
      "routing.http.drop_invalid_header_fields.enabled=true",
      `deletion_protection.enabled=${props.deletionProtection}`,
    ];
    const ingress = new IngressV1(this, "ingress", {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        annotations: {
          "alb.ingress.kubernetes.io/scheme": "internet-facing",
          "alb.ingress.kubernetes.io/target-type": "ip",
          "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
          "alb.ingress.kubernetes.io/ssl-redirect": "443",
          "alb.ingress.kubernetes.io/certificate-arn": props.certificateArn,
          "alb.ingress.kubernetes.io/ssl-policy": ALB_TLS_POLICY,
          "alb.ingress.kubernetes.io/wafv2-acl-arn": props.webAclArn,
          "alb.ingress.kubernetes.io/load-balancer-attributes": attributes.join(","),
          "alb.ingress.kubernetes.io/tags": Object.entries(props.tags)
            .map(([key, value]) => `${key}=${value}`)
            .join(","),
        },
      },
      spec: {
        ingressClassName: "alb",
        rule: [
          {
            host: props.domain,
            http: {
              path: props.routes.map((route) => ({
                path: route.path,
                pathType: "Prefix",
                backend: { service: { name: route.serviceName, port: { number: route.port } } },
              })),
            },
          },
        ],
      },
      waitForLoadBalancer: true,
      dependsOn: [props.accessLogBucketPolicy],
    });
    this.loadBalancerHostname = ingress.status.get(0).loadBalancer.get(0).ingress.get(0).hostname;
    if (props.hostedZoneId) {
      new Route53Record(this, "site-record", {
        zoneId: props.hostedZoneId,
        name: props.domain,
        type: "CNAME",
        ttl: 300,
        records: [this.loadBalancerHostname],
      });
    }
  }
}
