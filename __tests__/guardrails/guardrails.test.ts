import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { BatchComputeEnvironment } from "@cdktf/provider-aws/lib/batch-compute-environment";
import { BatchJobDefinition } from "@cdktf/provider-aws/lib/batch-job-definition";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { RedshiftCluster } from "@cdktf/provider-aws/lib/redshift-cluster";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { App, Aspects, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { guardrailViolations } from "../../modules/guardrails/guardrail-report";
import { GuardrailsAspect } from "../../modules/guardrails/guardrails-aspect";
import { GuardrailContext, STRICT_CONTEXT } from "../../modules/guardrails/rule";
import { GUARDRAIL_RULES } from "../../modules/guardrails/rules";
import { REQUIRED_TAG_KEYS } from "../../modules/guardrails/rules/required-tags";
import { listSuppressions, suppressGuardrail } from "../../modules/guardrails/suppressions";
import { createEnvironmentStacks, loadStackDependencies } from "../../stacks";
import { environment } from "../helpers/environments";
import { synthesizeAtomically } from "../../stacks/synthesize";

const REASON = "fixture: exercised by the guardrail tests only";

/** A stack with the guardrails and an AWS provider that carries (or lacks) the required default tags. */
function guardedStack(app: App, id: string, tagged = true, context?: GuardrailContext): TerraformStack {
  const stack = new TerraformStack(app, id);
  const tags = Object.fromEntries(REQUIRED_TAG_KEYS.map((key) => [key, "x"]));
  new AwsProvider(stack, "aws", { region: "sa-east-1", defaultTags: tagged ? [{ tags }] : undefined });
  new KubernetesProvider(stack, "kubernetes", {});
  new HelmProvider(stack, "helm", {});
  Aspects.of(stack).add(new GuardrailsAspect(context));
  return stack;
}

/** An RDS instance that meets every rule except deletion protection and final snapshot. */
function databaseWithoutProtection(scope: Construct): void {
  new DbInstance(scope, "database", {
    instanceClass: "db.t4g.medium",
    storageEncrypted: true,
    kmsKeyId: "arn:aws:kms:sa-east-1:111122223333:key/x",
    publiclyAccessible: false,
    iamDatabaseAuthenticationEnabled: true,
    backupRetentionPeriod: 7,
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    deletionProtection: false,
    skipFinalSnapshot: true,
  });
}

/** Resources that break every rule of the catalogue. */
function addViolatingResources(scope: Construct): void {
  const openTrustRole = new IamRole(scope, "open-trust-role", {
    assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
  });
  new IamRolePolicy(scope, "open-trust-role-policy", {
    role: openTrustRole.name,
    policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "logs:CreateLogDelivery", Resource: "*" }] }),
  });
  new DbParameterGroup(scope, "fixed-parameters", { name: "Metrics--Parameters", family: "postgres17", lifecycle: { createBeforeDestroy: true } });
  // Marked as customer data, without the perimeter; and a role that may read all of it.
  new S3Bucket(scope, "bare-bucket", { bucket: "bare-bucket", tags: { DataClass: "customer" } });
  new IamRolePolicy(scope, "whole-bucket-reader", {
    role: openTrustRole.name,
    policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::bare-bucket/*" }] }),
  });
  new DynamodbTable(scope, "bare-table", { name: "bare", hashKey: "id", attribute: [{ name: "id", type: "S" }] });
  new KmsKey(scope, "static-key", { enableKeyRotation: false });
  const vpc = new Vpc(scope, "bare-vpc", { cidrBlock: "10.0.0.0/16" });
  new Subnet(scope, "public-ip-subnet", { vpcId: vpc.id, cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: true });
  const group = new SecurityGroup(scope, "open-group", {
    vpcId: vpc.id,
    ingress: [{ fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }],
  });
  new VpcSecurityGroupIngressRule(scope, "open-rule", {
    securityGroupId: group.id,
    description: "described, but open to the world",
    ipProtocol: "tcp",
    fromPort: 5432,
    toPort: 5432,
    cidrIpv6: "::/0",
  });
  new VpcEndpoint(scope, "open-gateway", { vpcId: "vpc-1", serviceName: "com.amazonaws.sa-east-1.s3", vpcEndpointType: "Gateway" });
  new VpcEndpoint(scope, "any-bucket-gateway", {
    vpcId: "vpc-1",
    serviceName: "com.amazonaws.sa-east-1.s3",
    vpcEndpointType: "Gateway",
    policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Everything", Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" }] }),
  });
  // An interface endpoint that can carry data out (SQS) needs the perimeter; a control-plane one (ECR) does not.
  new VpcEndpoint(scope, "open-queue-endpoint", { vpcId: "vpc-1", serviceName: "com.amazonaws.sa-east-1.sqs", vpcEndpointType: "Interface" });
  new VpcEndpoint(scope, "image-endpoint", { vpcId: "vpc-1", serviceName: "com.amazonaws.sa-east-1.ecr.dkr", vpcEndpointType: "Interface" });
  // An audit log, with no deletion protection where the environment requires it.
  new CloudwatchLogGroup(scope, "plain-logs", { name: "plain", tags: { LogClass: "audit" } });
  new DbInstance(scope, "plain-db", { instanceClass: "db.t4g.medium" });
  new RedshiftCluster(scope, "plain-warehouse", { clusterIdentifier: "plain", nodeType: "ra3.xlplus" });
  new EcrRepository(scope, "plain-repository", { name: "plain" });
  new EksCluster(scope, "plain-cluster", { name: "plain", roleArn: "arn:aws:iam::111122223333:role/x", vpcConfig: { subnetIds: ["subnet-1"] } });
  new LaunchTemplate(scope, "plain-template", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 20 } }] });
  new SfnStateMachine(scope, "quiet-machine", { roleArn: openTrustRole.arn, definition: "{}" });
  new BatchJobDefinition(scope, "privileged-job", { name: "p", type: "container", containerProperties: JSON.stringify({ image: "x", privileged: true }) });
  new BatchComputeEnvironment(scope, "bare-compute", {
    type: "MANAGED",
    computeResources: { type: "EC2", maxVcpus: 4, subnets: ["subnet-1"], instanceType: ["c7i"] },
  });
  const selector = { matchLabels: { app: "bare" } };
  new DeploymentV1(scope, "bare-deployment", {
    metadata: { name: "bare" },
    spec: { selector, template: { metadata: { labels: selector.matchLabels }, spec: { container: [{ name: "web", image: "nginx:1.29" }] } } },
  });
  new IngressV1(scope, "plain-ingress", {
    metadata: { name: "plain", annotations: { "alb.ingress.kubernetes.io/scheme": "internet-facing" } },
    spec: { ingressClassName: "alb", defaultBackend: { service: { name: "web", port: { number: 80 } } } },
  });
  new SqsQueue(scope, "plain-queue", { name: "plain", sqsManagedSseEnabled: true });
  new SnsTopic(scope, "plain-topic", { name: "plain", kmsMasterKeyId: "alias/aws/sns" });
  new SecretsmanagerSecret(scope, "plain-secret", { name: "plain" });
  new Manifest(scope, "plain-node-class", {
    manifest: { apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass", metadata: { name: "plain" }, spec: { metadataOptions: { httpTokens: "optional" } } },
  });
  new Manifest(scope, "cluster-store", {
    manifest: { apiVersion: "external-secrets.io/v1", kind: "ClusterSecretStore", metadata: { name: "all" }, spec: { provider: { aws: { service: "SecretsManager", region: "sa-east-1" } } } },
  });
  new Manifest(scope, "controller-identity-store", {
    manifest: { apiVersion: "external-secrets.io/v1", kind: "SecretStore", metadata: { name: "x", namespace: "x" }, spec: { provider: { aws: { service: "SecretsManager", region: "sa-east-1" } } } },
  });
  new Release(scope, "queueless-karpenter", { name: "karpenter", chart: "karpenter", values: ["settings:\n  clusterName: plain\n"] });
  new IamPolicy(scope, "broad-policy", {
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::x/*" },
        { Effect: "Allow", Action: ["ec2:DescribeInstances", "s3:GetObject"], Resource: "*" },
      ],
    }),
  });
}

const violationsOf = (app: App) => guardrailViolations(app).map(({ stack, address, ruleId }) => `${stack} ${address} ${ruleId}`);

describe("guardrails", () => {
  it("lets a compliant stack through", () => {
    const app = Testing.app();
    guardedStack(app, "clean");
    expect(() => app.synth()).not.toThrow();
    expect(guardrailViolations(app)).toEqual([]);
  });

  it("fails the synth once, listing every violation of every stack with its rule and remedy", () => {
    const app = Testing.app();
    addViolatingResources(guardedStack(app, "first", false));
    addViolatingResources(guardedStack(app, "second"));
    let message = "";
    try {
      app.synth();
    } catch (error) {
      message = (error as Error).message;
    }
    const expected = (stack: string) => [
      `${stack} aws_db_parameter_group.fixed-parameters resource-names`,
      `${stack} aws_db_parameter_group.fixed-parameters names-replaceable`,
      `${stack} aws_s3_bucket.bare-bucket s3-sse-kms`,
      `${stack} aws_s3_bucket.bare-bucket s3-public-access-block`,
      `${stack} aws_s3_bucket.bare-bucket s3-versioning`,
      `${stack} aws_s3_bucket.bare-bucket s3-tls-only`,
      `${stack} aws_s3_bucket.bare-bucket s3-access-logging`,
      `${stack} aws_s3_bucket.bare-bucket customer-data-perimeter`,
      `${stack} aws_iam_policy.broad-policy s3-object-grants-prefixed`,
      `${stack} aws_iam_role_policy.whole-bucket-reader s3-object-grants-prefixed`,
      `${stack} aws_dynamodb_table.bare-table dynamodb-pitr`,
      `${stack} aws_dynamodb_table.bare-table dynamodb-sse-kms`,
      `${stack} aws_dynamodb_table.bare-table dynamodb-deletion-protection`,
      `${stack} aws_sqs_queue.plain-queue sqs-sse-kms`,
      `${stack} aws_sns_topic.plain-topic sns-sse-kms`,
      `${stack} aws_secretsmanager_secret.plain-secret secrets-kms`,
      `${stack} aws_kms_key.static-key kms-rotation`,
      `${stack} aws_vpc.bare-vpc vpc-flow-logs`,
      `${stack} aws_vpc_endpoint.open-gateway vpc-endpoint-perimeter`,
      `${stack} aws_vpc_endpoint.any-bucket-gateway vpc-endpoint-perimeter`,
      `${stack} aws_vpc_endpoint.open-queue-endpoint vpc-endpoint-perimeter`,
      `${stack} aws_subnet.public-ip-subnet subnet-no-public-ip`,
      `${stack} aws_vpc.bare-vpc default-sg-no-rules`,
      `${stack} aws_security_group.open-group sg-description`,
      `${stack} aws_security_group.open-group sg-description`,
      `${stack} aws_security_group.open-group sg-no-world-ingress`,
      `${stack} aws_vpc_security_group_ingress_rule.open-rule sg-no-world-ingress`,
      `${stack} aws_cloudwatch_log_group.plain-logs logs-kms-retention`,
      `${stack} aws_cloudwatch_log_group.plain-logs logs-minimum-retention`,
      `${stack} aws_cloudwatch_log_group.plain-logs audit-log-deletion-protection`,
      `${stack} aws_db_instance.plain-db rds-encrypted`,
      `${stack} aws_db_instance.plain-db rds-not-public`,
      `${stack} aws_db_instance.plain-db rds-iam-auth`,
      `${stack} aws_db_instance.plain-db rds-backups`,
      `${stack} aws_db_instance.plain-db rds-log-exports`,
      `${stack} aws_db_instance.plain-db rds-deletion-protection`,
      `${stack} aws_db_instance.plain-db rds-deletion-protection`,
      `${stack} aws_db_instance.plain-db rds-multi-az`,
      `${stack} aws_redshift_cluster.plain-warehouse redshift-encrypted`,
      `${stack} aws_redshift_cluster.plain-warehouse redshift-not-public`,
      `${stack} aws_redshift_cluster.plain-warehouse redshift-enhanced-vpc-routing`,
      `${stack} aws_redshift_cluster.plain-warehouse redshift-ssl`,
      `${stack} aws_redshift_cluster.plain-warehouse redshift-audit-logging`,
      `${stack} aws_redshift_cluster.plain-warehouse redshift-snapshots`,
      `${stack} aws_ecr_repository.plain-repository ecr-baseline`,
      `${stack} aws_eks_cluster.plain-cluster eks-secrets-encryption`,
      `${stack} aws_eks_cluster.plain-cluster eks-control-plane-logs`,
      `${stack} aws_eks_cluster.plain-cluster eks-endpoint-not-public`,
      `${stack} aws_launch_template.plain-template launch-template-imdsv2`,
      `${stack} aws_launch_template.plain-template launch-template-encrypted-volumes`,
      `${stack} aws_launch_template.plain-template compute-cost-tags`,
      `${stack} aws_batch_compute_environment.bare-compute compute-cost-tags`,
      `${stack} kubernetes_manifest.plain-node-class karpenter-imdsv2`,
      `${stack} helm_release.queueless-karpenter karpenter-interruption-queue`,
      `${stack} aws_iam_policy.broad-policy iam-no-action-wildcard`,
      `${stack} aws_iam_policy.broad-policy iam-resource-wildcard`,
      `${stack} aws_iam_role.open-trust-role iam-service-principal-source`,
      `${stack} aws_sfn_state_machine.quiet-machine role-policies-before-use`,
      `${stack} aws_sfn_state_machine.quiet-machine sfn-logging-tracing`,
      `${stack} aws_batch_job_definition.privileged-job batch-job-not-privileged`,
      `${stack} aws_batch_job_definition.privileged-job batch-job-not-privileged`,
      `${stack} aws_batch_compute_environment.bare-compute batch-launch-template`,
      `${stack} aws_batch_job_definition.privileged-job batch-spot-retry`,
      ...["aws_s3_bucket.bare-bucket", "aws_dynamodb_table.bare-table", "aws_kms_key.static-key", "aws_db_instance.plain-db"]
        .concat(["aws_redshift_cluster.plain-warehouse", "aws_ecr_repository.plain-repository", "aws_secretsmanager_secret.plain-secret"])
        .map((address) => `${stack} ${address} stateful-prevent-destroy`),
      `${stack} kubernetes_deployment_v1.bare-deployment k8s-restricted-container`,
      `${stack} kubernetes_deployment_v1.bare-deployment k8s-resource-limits`,
      `${stack} kubernetes_ingress_v1.plain-ingress ingress-https-waf`,
      `${stack} kubernetes_manifest.cluster-store secret-store-scoped`,
      `${stack} kubernetes_manifest.controller-identity-store secret-store-scoped`,
    ];
    expect(violationsOf(app)).toEqual(["first provider.aws tags-required", ...expected("first"), ...expected("second")]);
    expect(message).toContain(
      `guardrail violation [first] provider.aws: tags-required: add default_tags for ${REQUIRED_TAG_KEYS.join(", ")}`,
    );
    expect(message).toContain(
      'guardrail violation [second] aws_s3_bucket.bare-bucket: s3-versioning: add an aws_s3_bucket_versioning with versioning_configuration.status "Enabled"',
    );
    expect(message).toContain("guardrail violation [second] aws_kms_key.static-key: kms-rotation: set enable_key_rotation = true");
    expect(message).toContain(
      'guardrail violation [first] aws_db_parameter_group.fixed-parameters: resource-names: name "Metrics--Parameters" must be lowercase letters, digits and hyphens, starting with a letter (RDS API CreateDBParameterGroup; provider internal/service/rds/validate.go (validParamGroupName))',
    );
    expect(message).toContain(
      "guardrail violation [second] aws_iam_role.open-trust-role: iam-service-principal-source: add aws:SourceAccount (and aws:SourceArn where known) to the statement admitting lambda.amazonaws.com",
    );
    expect(message).toContain(
      "guardrail violation [first] aws_db_parameter_group.fixed-parameters: names-replaceable: set name_prefix instead of name: create_before_destroy creates the replacement while the old resource holds the name",
    );
    expect(message).toContain(
      "guardrail violation [first] aws_security_group.open-group: sg-no-world-ingress: admit a specific source (a security group or a CIDR inside the VPC), not the internet",
    );
    expect(message).toContain(
      'guardrail violation [second] aws_ecr_repository.plain-repository: ecr-baseline: set image_tag_mutability = "IMMUTABLE", image_scanning_configuration { scan_on_push = true }, encryption_configuration { encryption_type = "KMS", kms_key = <customer-managed key> }',
    );
    expect(message).toContain(
      'guardrail violation [second] aws_iam_policy.broad-policy: iam-resource-wildcard: scope s3:GetObject to resource ARNs or a tag condition instead of "*"',
    );
    expect(message).toContain(
      'guardrail violation [first] kubernetes_deployment_v1.bare-deployment: k8s-restricted-container: container "web": set security_context.run_as_non_root = true (and a non-zero run_as_user), security_context.read_only_root_filesystem = true, security_context.allow_privilege_escalation = false, security_context.capabilities.drop = ["ALL"]',
    );
    expect(message).toContain(
      'guardrail violation [first] kubernetes_deployment_v1.bare-deployment: k8s-resource-limits: container "web": set resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory',
    );
    expect(message).toContain(
      'guardrail violation [first] kubernetes_ingress_v1.plain-ingress: ingress-https-waf: set the alb.ingress.kubernetes.io/ annotations listen-ports with {"HTTPS":443}, certificate-arn, ssl-policy to an ELBSecurityPolicy-TLS13-* policy, wafv2-acl-arn',
    );
    expect(message.match(/guardrail violation/g)).toHaveLength(violationsOf(app).length);
  });

  it("checks every container of a job, root user and HTTP listeners without redirect included", () => {
    const app = Testing.app();
    const stack = guardedStack(app, "k8s");
    const resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "256Mi" } };
    const restricted = { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
    new JobV1(stack, "root-job", {
      metadata: { name: "root" },
      spec: {
        template: {
          metadata: {},
          spec: {
            restartPolicy: "Never",
            initContainer: [{ name: "init", image: "busybox:1.37", resources, securityContext: { ...restricted, runAsUser: "0" } }],
            container: [{ name: "main", image: "busybox:1.37", resources: { limits: resources.limits }, securityContext: restricted }],
          },
        },
      },
    });
    new IngressV1(stack, "redirectless-ingress", {
      metadata: {
        name: "redirectless",
        annotations: {
          "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
          "alb.ingress.kubernetes.io/certificate-arn": "arn:aws:acm:sa-east-1:111122223333:certificate/x",
          "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
          "alb.ingress.kubernetes.io/wafv2-acl-arn": "arn:aws:wafv2:sa-east-1:111122223333:regional/webacl/x/y",
        },
      },
      spec: { ingressClassName: "alb", defaultBackend: { service: { name: "web", port: { number: 80 } } } },
    });
    expect(() => app.synth()).toThrow('container "init": set security_context.run_as_non_root = true (and a non-zero run_as_user)');
    expect(violationsOf(app)).toEqual([
      "k8s kubernetes_job_v1.root-job k8s-restricted-container",
      "k8s kubernetes_job_v1.root-job k8s-resource-limits",
      "k8s kubernetes_ingress_v1.redirectless-ingress ingress-https-waf",
    ]);
    expect(() => app.synth()).toThrow('container "main": set resources.requests.cpu, resources.requests.memory');
    expect(() => app.synth()).toThrow('annotations ssl-redirect = "443"');
  });

  it("accepts a suppression that names the rule and gives a reason, on the resource or a scope above it", () => {
    const app = Testing.app();
    const stack = guardedStack(app, "suppressed");
    const group = new Construct(stack, "legacy");
    addViolatingResources(group);
    for (const rule of GUARDRAIL_RULES) suppressGuardrail(group, rule.id, REASON);
    expect(() => app.synth()).not.toThrow();
    expect(guardrailViolations(app)).toEqual([]);
  });

  it("keeps reporting the rules a suppression does not name", () => {
    const app = Testing.app();
    const stack = guardedStack(app, "partly");
    const bucket = new S3Bucket(stack, "bucket", { bucket: "partly" });
    suppressGuardrail(bucket, "s3-versioning", REASON);
    expect(() => app.synth()).toThrow("s3-sse-kms");
    expect(violationsOf(app)).toEqual([
      "partly aws_s3_bucket.bucket s3-sse-kms",
      "partly aws_s3_bucket.bucket s3-public-access-block",
      "partly aws_s3_bucket.bucket s3-tls-only",
      "partly aws_s3_bucket.bucket s3-access-logging",
      "partly aws_s3_bucket.bucket stateful-prevent-destroy",
    ]);
  });

  it("requires database deletion protection and final snapshots only where the environment asks for them", () => {
    const relaxed = Testing.app();
    databaseWithoutProtection(guardedStack(relaxed, "dev-like", true, { deletionProtectionRequired: false, finalSnapshotRequired: false, preventDestroyRequired: false, multiAzRequired: false, minimumLogRetentionDays: 1 }));
    expect(() => relaxed.synth()).not.toThrow();

    const strict = Testing.app();
    databaseWithoutProtection(guardedStack(strict, "prod-like", true, { deletionProtectionRequired: true, finalSnapshotRequired: true, preventDestroyRequired: false, multiAzRequired: false, minimumLogRetentionDays: 1 }));
    expect(() => strict.synth()).toThrow(
      "guardrail violation [prod-like] aws_db_instance.database: rds-deletion-protection: set deletion_protection = true (the environment requires it)",
    );
    expect(violationsOf(strict)).toEqual([
      "prod-like aws_db_instance.database rds-deletion-protection",
      "prod-like aws_db_instance.database rds-deletion-protection",
    ]);
  });

  it("holds production log groups to a year of retention, and other environments to any finite retention", () => {
    const logsKept = (days: number, minimumLogRetentionDays: number) => {
      const app = Testing.app();
      const context = { deletionProtectionRequired: false, finalSnapshotRequired: false, preventDestroyRequired: false, multiAzRequired: false, minimumLogRetentionDays };
      new CloudwatchLogGroup(guardedStack(app, "logs", true, context), "waf-logs", { name: "aws-waf-logs-x", retentionInDays: days, kmsKeyId: "arn:aws:kms:sa-east-1:111122223333:key/x" });
      return app;
    };
    expect(() => logsKept(90, 1).synth()).not.toThrow();
    expect(() => logsKept(365, 365).synth()).not.toThrow();
    const production = logsKept(90, 365);
    expect(() => production.synth()).toThrow(
      "guardrail violation [logs] aws_cloudwatch_log_group.waf-logs: logs-minimum-retention: set retention_in_days to at least 365 (the environment requires it; got 90)",
    );
    expect(violationsOf(production)).toEqual(["logs aws_cloudwatch_log_group.waf-logs logs-minimum-retention"]);
  });

  it("keeps execution data out of state machine logs unless the environment allows it", () => {
    const logging = (includeExecutionData: boolean, allowed: boolean) => {
      const app = Testing.app();
      const context = { ...STRICT_CONTEXT, executionDataInLogs: allowed };
      const stack = guardedStack(app, "machines", true, context);
      new SfnStateMachine(stack, "machine", {
        roleArn: "arn:aws:iam::111122223333:role/x",
        definition: "{}",
        loggingConfiguration: { level: "ALL", includeExecutionData, logDestination: "arn:aws:logs:sa-east-1:111122223333:log-group:x:*" },
        tracingConfiguration: { enabled: true },
      });
      try {
        app.synth();
      } catch {
        // other rules fail too: only this one is looked at
      }
      return guardrailViolations(app).filter((violation) => violation.ruleId === "sfn-logging-tracing").map((violation) => violation.message);
    };
    expect(logging(false, false)).toEqual([]);
    expect(logging(true, true)).toEqual([]);
    expect(logging(true, false)).toEqual(['set logging_configuration { level = "ALL", include_execution_data = false } and tracing_configuration { enabled = true }']);
    expect(logging(false, true)).toEqual(['set logging_configuration { level = "ALL", include_execution_data = true } and tracing_configuration { enabled = true }']);
  });

  it("requires a Redshift cluster routed through the VPC, and with a role COPY could use, to be able to reach S3 on 443", () => {
    const withEgress = (egress: boolean, role = true) => {
      const app = Testing.app();
      const stack = guardedStack(app, "warehouse");
      const group = new SecurityGroup(stack, "warehouse-group", { name: "warehouse", description: "warehouse", vpcId: "vpc-1" });
      if (egress) {
        new VpcSecurityGroupEgressRule(stack, "to-s3", { securityGroupId: group.id, description: "S3", ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-6aa54003" });
      }
      new RedshiftCluster(stack, "routed", {
        clusterIdentifier: "routed",
        nodeType: "ra3.xlplus",
        enhancedVpcRouting: true,
        vpcSecurityGroupIds: [group.id],
        iamRoles: role ? ["arn:aws:iam::111122223333:role/copy"] : undefined,
      });
      try {
        app.synth();
      } catch {
        // other rules fail too: only this one is looked at
      }
      return guardrailViolations(app).filter((violation) => violation.ruleId === "redshift-enhanced-vpc-routing");
    };
    expect(withEgress(true)).toEqual([]);
    // Without a role the cluster runs no COPY or UNLOAD, and needs no egress at all.
    expect(withEgress(false, false)).toEqual([]);
    expect(withEgress(false)).toEqual([
      {
        stack: "warehouse",
        address: "aws_redshift_cluster.routed",
        ruleId: "redshift-enhanced-vpc-routing",
        message: "add an egress rule on 443 to the S3 gateway endpoint's prefix list to its security group",
      },
    ]);
  });

  it("admits a service principal under a source condition, or EC2 for its instance roles, and nothing else", () => {
    const trusting = (service: string, condition?: Record<string, unknown>) => {
      const app = Testing.app();
      new IamRole(guardedStack(app, "trust"), "role", {
        assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", Condition: condition }] }),
      });
      try {
        app.synth();
      } catch {
        // only this rule is looked at
      }
      return violationsOf(app).filter((violation) => violation.endsWith("iam-service-principal-source"));
    };
    expect(trusting("ec2.amazonaws.com")).toEqual([]);
    expect(trusting("states.amazonaws.com", { StringEquals: { "aws:SourceAccount": "111122223333" } })).toEqual([]);
    expect(trusting("states.amazonaws.com", { StringEquals: { "aws:PrincipalOrgID": "o-123" } })).toEqual(["trust aws_iam_role.role iam-service-principal-source"]);
    expect(trusting("states.amazonaws.com")).toEqual(["trust aws_iam_role.role iam-service-principal-source"]);
  });

  it("refuses a suppression of an unknown rule", () => {
    const stack = guardedStack(Testing.app(), "typo");
    expect(() => suppressGuardrail(stack, "s3-versionning", REASON)).toThrow(
      'Cannot suppress unknown guardrail "s3-versionning" at typo (known: tags-required, resource-names, names-replaceable, s3-sse-kms',
    );
  });

  it("refuses a suppression without a real reason", () => {
    const stack = guardedStack(Testing.app(), "lazy");
    expect(() => suppressGuardrail(stack, "s3-versioning", "because")).toThrow(
      'Suppressing guardrail "s3-versioning" at lazy needs a reason of at least 20 characters',
    );
  });

  it("is suppressed in the environments only where a reason is known, and nowhere else", async () => {
    const app = Testing.app();
    createEnvironmentStacks(app, environment("dev"), await loadStackDependencies());
    expect(listSuppressions(app).map(({ path, ruleId }) => `${path} ${ruleId}`)).toEqual([
      "dev-state/access-logs s3-sse-kms",
      "dev-state/access-logs s3-access-logging",
      "dev-identity/identity/workload-boundary iam-no-action-wildcard",
      "dev-identity/identity/workload-boundary iam-resource-wildcard",
      "dev-security/audit-access-logs s3-sse-kms",
      "dev-security/audit-access-logs s3-access-logging",
      "dev-data/buckets/access-logs s3-sse-kms",
      "dev-data/buckets/access-logs s3-access-logging",
      "dev-data/upload-scanning/role s3-object-grants-prefixed",
      "dev-cluster/load-balancer-controller-policy iam-resource-wildcard",
      "dev-apps/alb-logs s3-sse-kms",
    ]);
  });

  it("has unique rule ids, each with a requirement and a rationale", () => {
    const ids = GUARDRAIL_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of GUARDRAIL_RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.requirement.length).toBeGreaterThan(20);
      expect(rule.rationale.length).toBeGreaterThan(20);
    }
  });
});

describe("atomic synth", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "atomic-synth-"));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("writes nothing when a guardrail fails", () => {
    const outdir = path.join(scratch, "fresh", "cdktf.out");
    expect(() => synthesizeAtomically(outdir, (app) => addViolatingResources(guardedStack(app, "bad")))).toThrow(
      "guardrail violation [bad]",
    );
    expect(fs.existsSync(outdir)).toBe(false);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual([]);
  });

  it("leaves a previous output untouched when a guardrail fails, and replaces it when the synth passes", () => {
    const outdir = path.join(scratch, "existing", "cdktf.out");
    expect(synthesizeAtomically(outdir, (app) => ["old", "kept"].forEach((id) => guardedStack(app, id)))).toEqual(["kept", "old"]);
    fs.mkdirSync(path.join(outdir, "stacks", "kept", ".terraform"));
    const before = fs.readFileSync(path.join(outdir, "manifest.json"), "utf8");

    expect(() => synthesizeAtomically(outdir, (app) => addViolatingResources(guardedStack(app, "bad")))).toThrow();
    expect(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).toBe(before);

    expect(synthesizeAtomically(outdir, (app) => guardedStack(app, "kept"))).toEqual(["kept"]);
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toEqual(["kept"]);
    expect(fs.existsSync(path.join(outdir, "stacks", "kept", ".terraform"))).toBe(true);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(["cdktf.out"]);
  });
});
