import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { ELB_LOG_DELIVERY_ACCOUNTS, AlbLogBucket } from "../../modules/apps/alb-log-bucket";
import { MigrationJob } from "../../modules/apps/migration-job";
import { PublicIngress } from "../../modules/apps/public-ingress";
import { SiteCertificate } from "../../modules/apps/site-certificate";
import { AccessLogBucket } from "../../modules/storage/access-log-bucket";
import { StackJson, onlyResource, referenceTo as ref, resourcesOf } from "../helpers/synth";

const ZONE = "Z0123456789ABCDEFGHIJ";
const DOMAIN = "app.proteomics.example.com";

/** A stack with the site's certificate and ingress, in a configured hosted zone. */
function siteInZone(): StackJson {
  const stack = new TerraformStack(Testing.app(), "site");
  new AwsProvider(stack, "aws", { region: "sa-east-1" });
  new KubernetesProvider(stack, "kubernetes", {});
  const certificate = new SiteCertificate(stack, "certificate", { domain: DOMAIN, hostedZoneId: ZONE, addressName: "site_certificate" });
  new PublicIngress(stack, "ingress", {
    name: "web",
    namespace: "proteomics",
    domain: DOMAIN,
    certificateArn: certificate.arn,
    hostedZoneId: ZONE,
    webAclArn: "arn:aws:wafv2:sa-east-1:111122223333:regional/webacl/web/1",
    accessLogBucket: "logs",
    accessLogPrefix: "alb",
    accessLogBucketPolicy: new S3BucketPolicy(stack, "logs-policy", { bucket: "logs", policy: "{}" }),
    deletionProtection: true,
    tags: { Project: "proteomics" },
    routes: [{ path: "/", serviceName: "frontend", port: 8000 }],
  });
  return JSON.parse(Testing.synth(stack));
}

describe("the site in a Route 53 hosted zone", () => {
  const stack = siteInZone();
  const records = Object.entries(resourcesOf(stack, "aws_route53_record"));
  const [validationRecordId, validationRecord] = records.find(([id]) => id.startsWith("certificate_validation-record"))!;
  const [, siteRecord] = records.find(([id]) => id.startsWith("ingress_site-record"))!;
  const [certificateId] = Object.keys(resourcesOf(stack, "aws_acm_certificate"));

  it("creates the certificate's validation record and waits for the certificate before the ALB uses it", () => {
    expect(validationRecord).toMatchObject({
      zone_id: ZONE,
      name: `\${tolist(aws_acm_certificate.${certificateId}.domain_validation_options).0.resource_record_name}`,
      records: [`\${tolist(aws_acm_certificate.${certificateId}.domain_validation_options).0.resource_record_value}`],
    });
    const validation = onlyResource(stack, "aws_acm_certificate_validation");
    expect(validation.certificate_arn).toBe(`${ref("aws_acm_certificate", certificateId)}arn}`);
    expect(validation.validation_record_fqdns).toEqual([`${ref("aws_route53_record", validationRecordId)}fqdn}`]);
    const [validationId] = Object.keys(resourcesOf(stack, "aws_acm_certificate_validation"));
    expect(onlyResource(stack, "kubernetes_ingress_v1").metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"]).toBe(
      `${ref("aws_acm_certificate_validation", validationId)}certificate_arn}`,
    );
  });

  it("points the domain at the ALB", () => {
    expect(siteRecord).toMatchObject({
      zone_id: ZONE,
      name: DOMAIN,
      type: "CNAME",
      records: [expect.stringMatching(/^\$\{kubernetes_ingress_v1\..+\.status\[0\]\.load_balancer\[0\]\.ingress\[0\]\.hostname}$/)],
    });
  });
});

describe("MigrationJob", () => {
  const jobNamed = (releaseTag: string) => {
    const stack = new TerraformStack(Testing.app(), "jobs");
    new KubernetesProvider(stack, "kubernetes", {});
    new MigrationJob(stack, "migrate", {
      name: "frontend-migrate",
      namespace: "proteomics",
      component: "frontend",
      releaseTag,
      image: `repo:${releaseTag}`,
      serviceAccountName: "frontend",
      command: ["python", "manage.py", "migrate"],
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { cpu: "1", memory: "512Mi" },
      configMapName: "platform-config",
      nodePool: "web",
    });
    return onlyResource(JSON.parse(Testing.synth(stack)), "kubernetes_job_v1").metadata.name;
  };

  it("is named after the release, as a valid Kubernetes name", () => {
    expect(jobNamed("2026.11.0")).toBe("frontend-migrate-2026-11-0");
    expect(jobNamed("Release_7")).toBe("frontend-migrate-release-7");
    expect(jobNamed("x".repeat(70))).toHaveLength(63);
    expect(jobNamed(`${"a".repeat(45)}_`)).toMatch(/^frontend-migrate-a+$/);
  });
});

describe("AlbLogBucket", () => {
  const policyIn = (region: string) => {
    const stack = new TerraformStack(Testing.app(), "logs");
    new AwsProvider(stack, "aws", { region });
    const accessLogs = new AccessLogBucket(stack, "access-logs", { bucketName: "access-logs", accountId: "111122223333", sourceBucketPattern: "*", retentionDays: 90, preventDestroy: false });
    new AlbLogBucket(stack, "alb-logs", { bucketName: "alb-logs", accountId: "111122223333", region, retentionDays: 90, accessLogs, preventDestroy: false });
    const policies = Object.values(resourcesOf(JSON.parse(Testing.synth(stack)), "aws_s3_bucket_policy"));
    return policies.map((policy) => JSON.parse(policy.policy).Statement).flat().find((statement: StackJson) => statement.Sid === "ElbAccessLogDelivery");
  };

  it("trusts the region's Elastic Load Balancing account, or the log delivery service in regions opened since 2022", () => {
    expect(policyIn("sa-east-1").Principal).toEqual({ AWS: `arn:aws:iam::${ELB_LOG_DELIVERY_ACCOUNTS["sa-east-1"]}:root` });
    expect(policyIn("mx-central-1").Principal).toEqual({ Service: "logdelivery.elasticloadbalancing.amazonaws.com" });
  });
});
