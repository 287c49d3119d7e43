import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, Aspects, TerraformStack, Testing } from "cdktf";
import { ATLANTIS_COUNTED_COMMON_RULES, ATLANTIS_TLS_POLICY, NO_ROUTE_RESPONSE } from "../../modules/atlantis/atlantis-load-balancer";
import { ATLANTIS_CONTAINER_NAME } from "../../modules/atlantis/atlantis-container";
import { EFS_CLIENT_ACTIONS, EFS_SERVER_ACTIONS } from "../../modules/atlantis/atlantis-file-system";
import { ATLANTIS_DATA_DIR, ATLANTIS_HEALTH_PATH, ATLANTIS_PORT, ATLANTIS_SCRATCH_PATHS, ATLANTIS_USER } from "../../modules/atlantis/atlantis-image";
import { AtlantisService, AtlantisServiceProps } from "../../modules/atlantis/atlantis-service";
import { AtlantisServerSpec } from "../../modules/atlantis/atlantis-server";
import { FARGATE_MAX_STOP_TIMEOUT_SECONDS } from "../../modules/atlantis/fargate-size";
import { GITHUB_APP_KEY_VARIABLE, GITHUB_WEBHOOK_SECRET_VARIABLE } from "../../modules/atlantis/github-app-secrets";
import { TASK_STATE_DETAIL_TYPE } from "../../modules/atlantis/task-stopped-alert";
import { guardrailViolations } from "../../modules/guardrails/guardrail-report";
import { GuardrailsAspect } from "../../modules/guardrails/guardrails-aspect";
import { PRODUCTION_LOG_RETENTION_DAYS } from "../../modules/guardrails/rule";
import { REQUIRED_TAG_KEYS } from "../../modules/guardrails/rules/required-tags";
import { AlertsTopic } from "../../modules/observability/alerts-topic";
import { AccessLogBucket } from "../../modules/storage/access-log-bucket";
import { decision, withValues } from "../helpers/iam-simulation";
import { StackJson, onlyResource, resourcesOf } from "../helpers/synth";

// Atlantis on ECS Fargate, as the tooling-atlantis stack will instantiate it: a planner and an applier from one image,
// in a stack held to the production guardrails.

const ACCOUNT = "111122223333";
const REGION = "sa-east-1";
const PREFIX = "proteomics-tooling";
const PRIVATE_SUBNETS = ["subnet-private-a", "subnet-private-b", "subnet-private-c"];
const PUBLIC_SUBNETS = ["subnet-public-a", "subnet-public-b", "subnet-public-c"];
// GitHub's hook ranges (IPv4) at the time of writing, and two operator networks.
const WEBHOOK_CIDRS = ["192.30.252.0/22", "185.199.108.0/22", "140.82.112.0/20", "143.55.64.0/20"];
const UI_CIDRS = ["203.0.113.0/24", "198.51.100.10/32"];
const PLAN_ROLES = ["dev", "staging", "prod"].map((env, index) => `arn:aws:iam::${444455556660 + index}:role/proteomics-${env}-plan`);
const DEPLOY_ROLES = ["dev", "staging", "prod"].map((env, index) => `arn:aws:iam::${444455556660 + index}:role/proteomics-${env}-deploy`);
const REPO_CONFIG = JSON.stringify({ repos: [{ id: "github.com/proteomics-platform/infrastructure", apply_requirements: ["approved", "mergeable"] }] });

const SERVERS: AtlantisServerSpec[] = [
  { id: "planner", hostname: "atlantis.example.com", repoConfigJson: REPO_CONFIG, environment: { ATLANTIS_DISABLE_APPLY_ALL: "true" }, assumableRoleArns: PLAN_ROLES, githubAppId: 1001 },
  {
    id: "applier",
    hostname: "deploy.atlantis.example.com",
    // A shell variable in a workflow step: it must reach the container as written, not be evaluated by Terraform.
    repoConfigJson: JSON.stringify({ repos: [{ id: "github.com/proteomics-platform/infrastructure", plan_requirements: ["approved", "mergeable"] }], note: "${HOME}" }),
    environment: { ATLANTIS_DISABLE_AUTOPLAN: "true", ATLANTIS_EXECUTABLE_NAME: "deploy" },
    assumableRoleArns: DEPLOY_ROLES,
    githubAppId: 1002,
  },
];

/** A stack like tooling-atlantis: provider with the required tags, production guardrails, alerts topic, access log bucket. */
function atlantisStack(overrides: Partial<AtlantisServiceProps> = {}): { app: App; stack: TerraformStack; service: AtlantisService } {
  const app = Testing.app();
  const stack = new TerraformStack(app, "tooling-atlantis");
  new AwsProvider(stack, "aws", { region: REGION, allowedAccountIds: [ACCOUNT], defaultTags: [{ tags: Object.fromEntries(REQUIRED_TAG_KEYS.map((key) => [key, "x"])) }] });
  Aspects.of(stack).add(
    new GuardrailsAspect({
      deletionProtectionRequired: true,
      finalSnapshotRequired: true,
      preventDestroyRequired: true,
      multiAzRequired: true,
      minimumLogRetentionDays: PRODUCTION_LOG_RETENTION_DAYS,
    }),
  );
  const alerts = new AlertsTopic(stack, "alerts", { namePrefix: PREFIX, accountId: ACCOUNT, region: REGION, emails: [], preventDestroy: true });
  const accessLogs = new AccessLogBucket(stack, "access-logs", {
    bucketName: `${PREFIX}-access-logs-${ACCOUNT}`,
    accountId: ACCOUNT,
    sourceBucketPattern: `${PREFIX}-*`,
    retentionDays: 365,
  });
  const service = new AtlantisService(stack, "atlantis", {
    namePrefix: PREFIX,
    accountId: ACCOUNT,
    region: REGION,
    vpcId: "vpc-tooling",
    privateSubnetIds: PRIVATE_SUBNETS,
    publicSubnetIds: PUBLIC_SUBNETS,
    imageTag: "0123456789ab",
    cpu: 2048,
    memoryMiB: 8192,
    domain: "atlantis.example.com",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
    webhookCidrs: WEBHOOK_CIDRS,
    uiCidrs: UI_CIDRS,
    repositoryAllowlist: ["github.com/proteomics-platform/infrastructure"],
    logRetentionDays: 365,
    alerts: { topicArn: alerts.arn, namePrefix: PREFIX },
    accessLogs,
    preventDestroy: true,
    wafRateLimit: 2000,
    servers: SERVERS,
    ...overrides,
  });
  return { app, stack, service };
}

const { app, stack } = atlantisStack();
const json: StackJson = JSON.parse(Testing.synth(stack));

/** `[logical id, resource]` of every resource of `type` matching `predicate`. */
const entries = (type: string, predicate: (resource: StackJson) => boolean = () => true) =>
  Object.entries(resourcesOf(json, type)).filter(([, resource]) => predicate(resource));
/** The one resource of `type` matching `predicate`, with its logical id. */
function one(type: string, predicate: (resource: StackJson) => boolean): [string, StackJson] {
  const found = entries(type, predicate);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}
const ref = (type: string, id: string, attribute: string) => `\${${type}.${id}.${attribute}}`;
const keyRef = (purpose: string) => ref("aws_kms_key", one("aws_kms_alias", (alias) => alias.name === `alias/${PREFIX}-${purpose}`)[1].target_key_id.split(".")[1], "arn");
const roleId = (name: string) => one("aws_iam_role", (role) => role.name === name)[0];
const policyOf = (role: string) => JSON.parse(one("aws_iam_role_policy", (policy) => policy.role === ref("aws_iam_role", roleId(role), "name"))[1].policy);
const taskDefinition = (server: string) => one("aws_ecs_task_definition", (definition) => definition.family === `${PREFIX}-atlantis-${server}`)[1];
const container = (server: string) => {
  const containers = JSON.parse(taskDefinition(server).container_definitions);
  expect(containers).toHaveLength(1);
  return containers[0];
};
const secretId = (name: string) => one("aws_secretsmanager_secret", (secret) => secret.name === name)[0];
const targetGroupId = (server: string) => one("aws_lb_target_group", (group) => group.name === `${PREFIX}-atl-${server}`)[0];
const groupId = (name: string) => one("aws_security_group", (group) => group.name === name)[0];
const rulesOf = (direction: "ingress" | "egress", group: string) =>
  entries(`aws_vpc_security_group_${direction}_rule`, (rule) => rule.security_group_id === ref("aws_security_group", groupId(group), "id")).map(([, rule]) => rule);
const listenerRules = (server: string) =>
  entries("aws_lb_listener_rule", (rule) => rule.action[0].target_group_arn === ref("aws_lb_target_group", targetGroupId(server), "arn")).map(([, rule]) => rule);

describe("AtlantisService", () => {
  it("passes every guardrail with production settings", () => {
    expect(guardrailViolations(app)).toEqual([]);
  });

  describe("image", () => {
    it("lives in an immutable, scanned, KMS-encrypted ECR repository of its own", () => {
      const repository = onlyResource(json, "aws_ecr_repository");
      expect(repository).toMatchObject({
        name: `${PREFIX}/atlantis`,
        image_tag_mutability: "IMMUTABLE",
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: "KMS", kms_key: keyRef("atlantis-images") }],
        lifecycle: { prevent_destroy: true },
      });
    });

    it("is what every task runs: <repository url>:<imageTag>", () => {
      const [repositoryId] = one("aws_ecr_repository", () => true);
      for (const server of ["planner", "applier"]) expect(container(server).image).toBe(`${ref("aws_ecr_repository", repositoryId, "repository_url")}:0123456789ab`);
    });
  });

  describe("secrets", () => {
    it("are two per server, encrypted with the secrets key, protected, and never given a value by Terraform", () => {
      const secrets = entries("aws_secretsmanager_secret").map(([, secret]) => secret);
      expect(secrets.map((secret) => secret.name).sort()).toEqual(
        ["applier", "planner"].flatMap((server) => [`${PREFIX}/atlantis/${server}/github-app-key`, `${PREFIX}/atlantis/${server}/github-webhook-key`]).sort(),
      );
      for (const secret of secrets) expect(secret).toMatchObject({ kms_key_id: keyRef("atlantis-secrets"), lifecycle: { prevent_destroy: true } });
      expect(json.resource.aws_secretsmanager_secret_version).toBeUndefined();
      expect(JSON.stringify(json)).not.toMatch(/secret_string|secret_binary/);
    });

    it.each(["planner", "applier"])("reach the %s container as ECS secrets only, never in its environment", (server) => {
      const definition = container(server);
      expect(definition.secrets).toEqual([
        { name: GITHUB_APP_KEY_VARIABLE, valueFrom: ref("aws_secretsmanager_secret", secretId(`${PREFIX}/atlantis/${server}/github-app-key`), "arn") },
        { name: GITHUB_WEBHOOK_SECRET_VARIABLE, valueFrom: ref("aws_secretsmanager_secret", secretId(`${PREFIX}/atlantis/${server}/github-webhook-key`), "arn") },
      ]);
      const names = definition.environment.map((variable: StackJson) => variable.name);
      expect(names).not.toContain(GITHUB_APP_KEY_VARIABLE);
      expect(names).not.toContain(GITHUB_WEBHOOK_SECRET_VARIABLE);
      expect(names.filter((name: string) => /SECRET|TOKEN|PASSWORD|_KEY$/.test(name))).toEqual([]);
      expect(JSON.stringify(definition.environment)).not.toContain("aws_secretsmanager_secret");
    });

    it("cannot be set through a server's environment", () => {
      for (const name of ["ATLANTIS_GH_APP_KEY", "ATLANTIS_API_SECRET", "ATLANTIS_GH_TOKEN", "ATLANTIS_WEB_PASSWORD"]) {
        expect(() => atlantisStack({ servers: [{ ...SERVERS[0], environment: { [name]: "x" } }] })).toThrow(/is set by the construct|looks like a secret/);
      }
    });
  });

  describe("data directory (EFS)", () => {
    const [fileSystemId, fileSystem] = one("aws_efs_file_system", () => true);
    const fsRef = (attribute: string) => ref("aws_efs_file_system", fileSystemId, attribute);
    const accessPoint = (server: string) => one("aws_efs_access_point", (point) => point.root_directory.path === `/${server}`);

    it("is encrypted with its own key, general purpose, backed up, moved to IA when idle, protected", () => {
      expect(fileSystem).toMatchObject({
        encrypted: true,
        kms_key_id: keyRef("atlantis-data"),
        performance_mode: "generalPurpose",
        lifecycle: { prevent_destroy: true },
      });
      expect(fileSystem.lifecycle_policy).toContainEqual({ transition_to_ia: "AFTER_30_DAYS" });
      expect(onlyResource(json, "aws_efs_backup_policy")).toEqual({ file_system_id: fsRef("id"), backup_policy: { status: "ENABLED" } });
    });

    it("has a mount target in every private subnet, admitting NFS from the tasks only", () => {
      const targets = entries("aws_efs_mount_target").map(([, target]) => target);
      expect(targets.map((target) => target.subnet_id).sort()).toEqual([...PRIVATE_SUBNETS].sort());
      const efsGroup = ref("aws_security_group", groupId(`${PREFIX}-atlantis-efs`), "id");
      for (const target of targets) expect(target).toMatchObject({ file_system_id: fsRef("id"), security_groups: [efsGroup] });
      expect(rulesOf("ingress", `${PREFIX}-atlantis-efs`)).toEqual([
        expect.objectContaining({ ip_protocol: "tcp", from_port: 2049, to_port: 2049, referenced_security_group_id: ref("aws_security_group", groupId(`${PREFIX}-atlantis-tasks`), "id") }),
      ]);
      expect(rulesOf("egress", `${PREFIX}-atlantis-efs`)).toEqual([]);
    });

    it("gives each server an access point of its own, entered as the image's atlantis user", () => {
      expect(entries("aws_efs_access_point")).toHaveLength(2);
      for (const server of ["planner", "applier"]) {
        expect(accessPoint(server)[1]).toMatchObject({
          file_system_id: fsRef("id"),
          posix_user: { uid: ATLANTIS_USER.uid, gid: ATLANTIS_USER.gid },
          root_directory: { path: `/${server}`, creation_info: { owner_uid: ATLANTIS_USER.uid, owner_gid: ATLANTIS_USER.gid, permissions: "0750" } },
        });
      }
    });

    it("is mounted by each task through its access point, with TLS and IAM authorization, at ATLANTIS_DATA_DIR", () => {
      for (const server of ["planner", "applier"]) {
        const definition = taskDefinition(server);
        expect(definition.volume).toContainEqual({
          name: "data",
          efs_volume_configuration: {
            file_system_id: fsRef("id"),
            transit_encryption: "ENABLED",
            authorization_config: { access_point_id: ref("aws_efs_access_point", accessPoint(server)[0], "id"), iam: "ENABLED" },
          },
        });
        expect(container(server).mountPoints).toContainEqual({ sourceVolume: "data", containerPath: ATLANTIS_DATA_DIR, readOnly: false });
        expect(container(server).environment).toContainEqual({ name: "ATLANTIS_DATA_DIR", value: ATLANTIS_DATA_DIR });
      }
    });

    it("has a policy that refuses mounts without TLS or an access point, and lets each task role use only its own access point", () => {
      const statements = JSON.parse(onlyResource(json, "aws_efs_file_system_policy").policy).Statement;
      const denied = { Effect: "Deny", Principal: "*", Action: [...EFS_CLIENT_ACTIONS], Resource: fsRef("arn") };
      expect(statements).toEqual([
        { Sid: "DenyWithoutTls", ...denied, Condition: { Bool: { "aws:SecureTransport": "false" } } },
        { Sid: "DenyWithoutAccessPoint", ...denied, Condition: { Null: { "elasticfilesystem:AccessPointArn": "true" } } },
        ...["planner", "applier"].map((server) => ({
          Sid: `${server[0].toUpperCase()}${server.slice(1)}MountsOwnAccessPoint`,
          Effect: "Allow",
          Principal: { AWS: ref("aws_iam_role", roleId(`${PREFIX}-atlantis-${server}-task`), "arn") },
          Action: [...EFS_SERVER_ACTIONS],
          Resource: fsRef("arn"),
          Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": ref("aws_efs_access_point", accessPoint(server)[0], "arn") } },
        })),
      ]);
    });

    describe("policy, evaluated by the IAM simulator", () => {
      const fsArn = `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-0123456789abcdef0`;
      const roleArn = (server: string) => `arn:aws:iam::${ACCOUNT}:role/${PREFIX}-atlantis-${server}-task`;
      const pointArn = (server: string) => `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:access-point/fsap-${server === "planner" ? "0aaaa" : "0bbbb"}`;
      const policy = withValues(onlyResource(json, "aws_efs_file_system_policy").policy, {
        [`aws_efs_file_system.${fileSystemId}`]: fsArn,
        ...Object.fromEntries(
          ["planner", "applier"].flatMap((server) => [
            [`aws_iam_role.${roleId(`${PREFIX}-atlantis-${server}-task`)}`, roleArn(server)],
            [`aws_efs_access_point.${accessPoint(server)[0]}`, pointArn(server)],
          ]),
        ),
      });
      const mount = (server: string, action: string, context: Record<string, string>) =>
        decision({ principal: roleArn(server), action, resource: fsArn, resourceAccount: ACCOUNT, context }, { resource: policy });

      it("lets each server mount and write through its own access point", async () => {
        for (const server of ["planner", "applier"]) {
          for (const action of EFS_SERVER_ACTIONS) expect(await mount(server, action, { "elasticfilesystem:AccessPointArn": pointArn(server) })).toBe("Allowed");
        }
      });

      it("refuses the planner the applier's access point (and the other way round)", async () => {
        for (const action of EFS_SERVER_ACTIONS) {
          expect(await mount("planner", action, { "elasticfilesystem:AccessPointArn": pointArn("applier") })).toBe("ImplicitlyDenied");
          expect(await mount("applier", action, { "elasticfilesystem:AccessPointArn": pointArn("planner") })).toBe("ImplicitlyDenied");
        }
      });

      it("refuses root access, mounts without an access point and mounts without TLS", async () => {
        expect(await mount("planner", "elasticfilesystem:ClientRootAccess", { "elasticfilesystem:AccessPointArn": pointArn("planner") })).toBe("ImplicitlyDenied");
        expect(await mount("planner", "elasticfilesystem:ClientMount", {})).toBe("ExplicitlyDenied");
        expect(await mount("planner", "elasticfilesystem:ClientMount", { "elasticfilesystem:AccessPointArn": pointArn("planner"), "aws:SecureTransport": "false" })).toBe(
          "ExplicitlyDenied",
        );
      });
    });
  });

  describe("ECS", () => {
    it("runs a cluster with Container Insights", () => {
      expect(onlyResource(json, "aws_ecs_cluster")).toMatchObject({ name: `${PREFIX}-atlantis`, setting: [{ name: "containerInsights", value: "enabled" }] });
    });

    it.each(["planner", "applier"])("runs the %s as one Fargate task that never overlaps another, in private subnets, without ECS Exec", (server) => {
      const [, service] = one("aws_ecs_service", (candidate) => candidate.name === `${PREFIX}-atlantis-${server}`);
      expect(service).toMatchObject({
        launch_type: "FARGATE",
        desired_count: 1,
        deployment_maximum_percent: 100,
        deployment_minimum_healthy_percent: 0,
        deployment_circuit_breaker: { enable: true, rollback: true },
        enable_execute_command: false,
        health_check_grace_period_seconds: 120,
        network_configuration: { subnets: PRIVATE_SUBNETS, assign_public_ip: false, security_groups: [ref("aws_security_group", groupId(`${PREFIX}-atlantis-tasks`), "id")] },
        load_balancer: [{ target_group_arn: ref("aws_lb_target_group", targetGroupId(server), "arn"), container_name: ATLANTIS_CONTAINER_NAME, container_port: ATLANTIS_PORT }],
      });
      // The first task starts with its roles' permissions, its data directory mountable and its route in place.
      for (const role of [`${PREFIX}-atlantis-${server}-task`, `${PREFIX}-atlantis-${server}-execution`]) {
        const policy = one("aws_iam_role_policy", (candidate) => candidate.role === ref("aws_iam_role", roleId(role), "name"))[0];
        expect(service.depends_on).toContain(`aws_iam_role_policy.${policy}`);
      }
      expect(service.depends_on).toContain(`aws_efs_file_system_policy.${one("aws_efs_file_system_policy", () => true)[0]}`);
      expect(service.depends_on.filter((dependency: string) => dependency.startsWith("aws_efs_mount_target."))).toHaveLength(PRIVATE_SUBNETS.length);
      expect(service.depends_on.filter((dependency: string) => dependency.startsWith("aws_lb_listener_rule."))).toHaveLength(listenerRules(server).length);
    });

    it.each(SERVERS.map((spec) => [spec.id, spec] as const))("defines the %s task: awsvpc Fargate, read-only root, non-root, its settings", (server, spec) => {
      expect(taskDefinition(server)).toMatchObject({
        network_mode: "awsvpc",
        requires_compatibilities: ["FARGATE"],
        cpu: "2048",
        memory: "8192",
        runtime_platform: { operating_system_family: "LINUX", cpu_architecture: "ARM64" },
        task_role_arn: ref("aws_iam_role", roleId(`${PREFIX}-atlantis-${server}-task`), "arn"),
        execution_role_arn: ref("aws_iam_role", roleId(`${PREFIX}-atlantis-${server}-execution`), "arn"),
      });
      const definition = container(server);
      expect(definition).toMatchObject({
        name: ATLANTIS_CONTAINER_NAME,
        essential: true,
        user: `${ATLANTIS_USER.uid}:${ATLANTIS_USER.gid}`,
        readonlyRootFilesystem: true,
        privileged: false,
        linuxParameters: { capabilities: { drop: ["ALL"] } },
        portMappings: [{ containerPort: ATLANTIS_PORT, protocol: "tcp" }],
        stopTimeout: FARGATE_MAX_STOP_TIMEOUT_SECONDS,
      });
      expect(definition.healthCheck.command.join(" ")).toContain(`http://localhost:${ATLANTIS_PORT}${ATLANTIS_HEALTH_PATH}`);
      // Writable scratch space besides the data directory: task-local volumes at the image's VOLUME paths.
      for (const path of ATLANTIS_SCRATCH_PATHS) expect(definition.mountPoints).toContainEqual(expect.objectContaining({ containerPath: path, readOnly: false }));
      const environment = Object.fromEntries(definition.environment.map((variable: StackJson) => [variable.name, variable.value]));
      expect(environment).toEqual({
        ...spec.environment,
        ATLANTIS_ATLANTIS_URL: `https://${spec.hostname}`,
        ATLANTIS_PORT: String(ATLANTIS_PORT),
        ATLANTIS_DATA_DIR,
        ATLANTIS_REPO_ALLOWLIST: "github.com/proteomics-platform/infrastructure",
        // Terraform's JSON syntax reads `$${` as a literal `${`: the container gets the repo config as written.
        ATLANTIS_REPO_CONFIG_JSON: spec.repoConfigJson.replace("${", () => "$${"),
        ATLANTIS_GH_APP_ID: String(spec.githubAppId),
        ATLANTIS_WRITE_GIT_CREDS: "true",
      });
      const [logGroupId, logGroup] = one("aws_cloudwatch_log_group", (group) => group.name === `/${PREFIX}/atlantis/${server}`);
      expect(logGroup).toMatchObject({ retention_in_days: 365, kms_key_id: keyRef("atlantis-logs") });
      expect(definition.logConfiguration).toEqual({
        logDriver: "awslogs",
        options: { "awslogs-group": ref("aws_cloudwatch_log_group", logGroupId, "name"), "awslogs-region": REGION, "awslogs-stream-prefix": server },
      });
    });
  });

  describe("roles", () => {
    it.each([
      ["planner", PLAN_ROLES],
      ["applier", DEPLOY_ROLES],
    ])("the %s task role may only assume its environments' roles", (server, roles) => {
      expect(policyOf(`${PREFIX}-atlantis-${server}-task`).Statement).toEqual([{ Sid: "AssumeEnvironmentRoles", Effect: "Allow", Action: "sts:AssumeRole", Resource: roles }]);
      const role = roleId(`${PREFIX}-atlantis-${server}-task`);
      expect(entries("aws_iam_role_policy_attachment", (attachment) => attachment.role === ref("aws_iam_role", role, "name"))).toEqual([]);
    });

    it.each(["planner", "applier"])("the %s roles trust ECS tasks of this account only", (server) => {
      for (const role of [`${PREFIX}-atlantis-${server}-task`, `${PREFIX}-atlantis-${server}-execution`]) {
        const [, resource] = one("aws_iam_role", (candidate) => candidate.name === role);
        expect(JSON.parse(resource.assume_role_policy).Statement).toEqual([
          {
            Effect: "Allow",
            Principal: { Service: "ecs-tasks.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": `arn:aws:ecs:${REGION}:${ACCOUNT}:*` } },
          },
        ]);
      }
    });

    it.each(["planner", "applier"])("the %s execution role pulls the image, writes its logs and reads exactly its own two secrets", (server) => {
      const [repositoryId] = one("aws_ecr_repository", () => true);
      const [logGroupId] = one("aws_cloudwatch_log_group", (group) => group.name === `/${PREFIX}/atlantis/${server}`);
      expect(policyOf(`${PREFIX}-atlantis-${server}-execution`).Statement).toEqual([
        { Sid: "EcrAuthorization", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        {
          Sid: "PullAtlantisImage",
          Effect: "Allow",
          Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
          Resource: ref("aws_ecr_repository", repositoryId, "arn"),
        },
        { Sid: "WriteServerLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${ref("aws_cloudwatch_log_group", logGroupId, "arn")}:*` },
        {
          Sid: "ReadGitHubAppSecrets",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: ["github-app-key", "github-webhook-key"].map((secret) => ref("aws_secretsmanager_secret", secretId(`${PREFIX}/atlantis/${server}/${secret}`), "arn")),
        },
        {
          Sid: "DecryptGitHubAppSecrets",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: keyRef("atlantis-secrets"),
          Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` } },
        },
      ]);
    });
  });

  describe("load balancer", () => {
    const [lbId, lb] = one("aws_lb", () => true);

    it("is internet-facing in the public subnets, drops invalid headers, is protected and logs its requests", () => {
      const [bucketId] = one("aws_s3_bucket", (bucket) => bucket.bucket === `${PREFIX}-atlantis-alb-logs-${ACCOUNT}`);
      expect(lb).toMatchObject({
        name: `${PREFIX}-atlantis`,
        load_balancer_type: "application",
        internal: false,
        subnets: PUBLIC_SUBNETS,
        drop_invalid_header_fields: true,
        enable_deletion_protection: true,
        access_logs: { bucket: ref("aws_s3_bucket", bucketId, "bucket"), prefix: "alb", enabled: true },
      });
    });

    it("listens on HTTPS only, with a TLS 1.3/1.2 policy and the validated certificate, and answers 404 by default", () => {
      const listener = onlyResource(json, "aws_lb_listener");
      const [validationId] = one("aws_acm_certificate_validation", () => true);
      expect(listener).toMatchObject({
        load_balancer_arn: ref("aws_lb", lbId, "arn"),
        port: 443,
        protocol: "HTTPS",
        ssl_policy: ATLANTIS_TLS_POLICY,
        certificate_arn: ref("aws_acm_certificate_validation", validationId, "certificate_arn"),
        default_action: [{ type: "fixed-response", fixed_response: { content_type: NO_ROUTE_RESPONSE.contentType, status_code: "404", message_body: NO_ROUTE_RESPONSE.messageBody } }],
      });
      const certificate = onlyResource(json, "aws_acm_certificate");
      expect(certificate).toMatchObject({ domain_name: "atlantis.example.com", subject_alternative_names: ["*.atlantis.example.com"] });
    });

    it("admits 443 only from the webhook and operator ranges, and reaches only the tasks on the Atlantis port", () => {
      const ingress = rulesOf("ingress", `${PREFIX}-atlantis-alb`);
      expect(ingress.map((rule) => rule.cidr_ipv4).sort()).toEqual([...WEBHOOK_CIDRS, ...UI_CIDRS].sort());
      for (const rule of ingress) expect(rule).toMatchObject({ ip_protocol: "tcp", from_port: 443, to_port: 443 });
      expect(rulesOf("egress", `${PREFIX}-atlantis-alb`)).toEqual([
        expect.objectContaining({ from_port: ATLANTIS_PORT, to_port: ATLANTIS_PORT, referenced_security_group_id: ref("aws_security_group", groupId(`${PREFIX}-atlantis-tasks`), "id") }),
      ]);
      expect(rulesOf("ingress", `${PREFIX}-atlantis-tasks`)).toEqual([
        expect.objectContaining({ from_port: ATLANTIS_PORT, to_port: ATLANTIS_PORT, referenced_security_group_id: ref("aws_security_group", groupId(`${PREFIX}-atlantis-alb`), "id") }),
      ]);
    });

    it("opens nothing to the internet: no ingress rule and no listener condition from 0.0.0.0/0", () => {
      const ingress = entries("aws_vpc_security_group_ingress_rule").map(([, rule]) => rule);
      expect(ingress.filter((rule) => rule.cidr_ipv4 === "0.0.0.0/0" || rule.cidr_ipv6 === "::/0")).toEqual([]);
      const sources = entries("aws_lb_listener_rule").flatMap(([, rule]) => rule.condition.flatMap((condition: StackJson) => condition.source_ip?.values ?? []));
      expect(sources).not.toContain("0.0.0.0/0");
      // Every rule is limited to a source range.
      for (const [, rule] of entries("aws_lb_listener_rule")) expect(rule.condition.some((condition: StackJson) => condition.source_ip)).toBe(true);
    });

    it.each(SERVERS.map((spec) => [spec.id, spec.hostname] as const))("routes POST /events from GitHub's ranges, and the UI from the operators', on the %s host", (server, hostname) => {
      const rules = listenerRules(server);
      const isWebhook = (rule: StackJson) => rule.condition.some((condition: StackJson) => condition.path_pattern);
      const webhookRules = rules.filter(isWebhook);
      const uiRules = rules.filter((rule) => !isWebhook(rule));
      for (const rule of webhookRules) {
        expect(rule.condition).toEqual([
          { host_header: { values: [hostname] } },
          { path_pattern: { values: ["/events"] } },
          { http_request_method: { values: ["POST"] } },
          { source_ip: { values: expect.any(Array) } },
        ]);
      }
      // ELB allows five values per rule: the four hook ranges take two rules.
      expect(webhookRules.flatMap((rule) => rule.condition[3].source_ip.values)).toEqual(WEBHOOK_CIDRS);
      for (const rule of uiRules) expect(rule.condition).toEqual([{ host_header: { values: [hostname] } }, { source_ip: { values: expect.any(Array) } }]);
      expect(uiRules.flatMap((rule) => rule.condition[1].source_ip.values)).toEqual(UI_CIDRS);
      // Webhook rules are evaluated before the UI's.
      expect(Math.max(...webhookRules.map((rule) => rule.priority))).toBeLessThan(Math.min(...uiRules.map((rule) => rule.priority)));
    });

    it("forwards to ip target groups on the Atlantis port, health-checked on /healthz", () => {
      for (const server of ["planner", "applier"]) {
        expect(one("aws_lb_target_group", (group) => group.name === `${PREFIX}-atl-${server}`)[1]).toMatchObject({
          target_type: "ip",
          port: ATLANTIS_PORT,
          protocol: "HTTP",
          health_check: { path: ATLANTIS_HEALTH_PATH, matcher: "200" },
        });
      }
    });

    it("points each hostname at the load balancer", () => {
      const aliases = entries("aws_route53_record", (record) => record.type === "A").map(([, record]) => record);
      expect(aliases.map((record) => record.name).sort()).toEqual(SERVERS.map((spec) => spec.hostname).sort());
      for (const record of aliases) expect(record.alias).toEqual({ name: ref("aws_lb", lbId, "dns_name"), zone_id: ref("aws_lb", lbId, "zone_id"), evaluate_target_health: false });
    });

    it("is behind the web ACL, which counts the body rules webhooks trip instead of blocking them", () => {
      const [aclId, acl] = one("aws_wafv2_web_acl", () => true);
      expect(onlyResource(json, "aws_wafv2_web_acl_association")).toEqual({ resource_arn: ref("aws_lb", lbId, "arn"), web_acl_arn: ref("aws_wafv2_web_acl", aclId, "arn") });
      const common = JSON.parse(acl.rule_json).find((rule: StackJson) => rule.Name === "AWSManagedRulesCommonRuleSet");
      expect(common.Statement.ManagedRuleGroupStatement.RuleActionOverrides.map((override: StackJson) => override.Name)).toEqual([...ATLANTIS_COUNTED_COMMON_RULES]);
      // Webhooks quote diffs, SQL migrations included: the SQL-injection set counts what it finds in bodies.
      const sqli = JSON.parse(acl.rule_json).find((rule: StackJson) => rule.Name === "AWSManagedRulesSQLiRuleSet");
      expect(sqli.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([
        { Name: "SQLi_BODY", ActionToUse: { Count: {} } },
        { Name: "SQLiExtendedPatterns_BODY", ActionToUse: { Count: {} } },
      ]);
      expect(JSON.parse(acl.rule_json).find((rule: StackJson) => rule.Name === "RateLimitPerIp").Statement.RateBasedStatement.Limit).toBe(2000);
    });
  });

  describe("alerts", () => {
    const topic = ref("aws_sns_topic", one("aws_sns_topic", () => true)[0], "arn");
    const alarm = (name: string) => one("aws_cloudwatch_metric_alarm", (candidate) => candidate.alarm_name === `${PREFIX}-${name}`)[1];
    const [lbId] = one("aws_lb", () => true);

    it.each(["planner", "applier"])("watch the %s server's target health and running task", (server) => {
      expect(alarm(`atlantis-${server}-unhealthy-targets`)).toMatchObject({
        namespace: "AWS/ApplicationELB",
        metric_name: "UnHealthyHostCount",
        dimensions: { TargetGroup: ref("aws_lb_target_group", targetGroupId(server), "arn_suffix"), LoadBalancer: ref("aws_lb", lbId, "arn_suffix") },
        comparison_operator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        alarm_actions: [topic],
        ok_actions: [topic],
      });
      const [serviceId] = one("aws_ecs_service", (service) => service.name === `${PREFIX}-atlantis-${server}`);
      expect(alarm(`atlantis-${server}-not-running`)).toMatchObject({
        namespace: "ECS/ContainerInsights",
        metric_name: "RunningTaskCount",
        dimensions: { ClusterName: ref("aws_ecs_cluster", one("aws_ecs_cluster", () => true)[0], "name"), ServiceName: ref("aws_ecs_service", serviceId, "name") },
        comparison_operator: "LessThanThreshold",
        threshold: 1,
        treat_missing_data: "breaching",
        alarm_actions: [topic],
      });
    });

    it("report every stopped Atlantis task to the alerts topic, and alarm when that delivery fails", async () => {
      const [ruleId, rule] = one("aws_cloudwatch_event_rule", () => true);
      expect(rule.name).toBe(`${PREFIX}-atlantis-task-stopped`);
      expect(JSON.parse(rule.event_pattern)).toEqual({
        source: ["aws.ecs"],
        "detail-type": [TASK_STATE_DETAIL_TYPE],
        detail: { clusterArn: [ref("aws_ecs_cluster", one("aws_ecs_cluster", () => true)[0], "arn")], lastStatus: ["STOPPED"] },
      });
      expect(onlyResource(json, "aws_cloudwatch_event_target")).toMatchObject({ rule: ref("aws_cloudwatch_event_rule", ruleId, "name"), arn: topic });
      expect(alarm("atlantis-task-stopped-delivery")).toMatchObject({ namespace: "AWS/Events", metric_name: "FailedInvocations", dimensions: { RuleName: ref("aws_cloudwatch_event_rule", ruleId, "name") } });
      // The alerts topic admits this rule (its name starts with the destination's prefix).
      const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT}:${PREFIX}-alerts`;
      const topicPolicy = withValues(onlyResource(json, "aws_sns_topic_policy").policy, { [`aws_sns_topic.${one("aws_sns_topic", () => true)[0]}`]: topicArn });
      const ruleArn = `arn:aws:events:${REGION}:${ACCOUNT}:rule/${rule.name}`;
      expect(
        await decision(
          { principal: "events.amazonaws.com", action: "sns:Publish", resource: topicArn, resourceAccount: ACCOUNT, context: { "aws:SourceAccount": ACCOUNT, "aws:SourceArn": ruleArn } },
          { resource: topicPolicy },
        ),
      ).toBe("Allowed");
    });
  });
});

describe("AtlantisService inputs", () => {
  it.each<[string, Partial<AtlantisServiceProps>, RegExp]>([
    ["an invalid Fargate memory for the CPU", { cpu: 1024, memoryMiB: 1024 }, /cpu\/memoryMiB: memory 1024 MiB is not allowed with cpu 1024 on Fargate \(allowed: 2048 to 8192 in steps of 1024 MiB\)/],
    ["a CPU value Fargate does not have", { cpu: 3000, memoryMiB: 8192 }, /cpu 3000 is not a Fargate CPU value/],
    ["no webhook range", { webhookCidrs: [] }, /webhookCidrs must list at least one source range/],
    ["the internet as a webhook range", { webhookCidrs: ["0.0.0.0/0"] }, /webhookCidrs must not contain 0\.0\.0\.0\/0: it would open the Atlantis load balancer to the whole internet/],
    ["the internet as an operator range", { uiCidrs: ["203.0.113.0/24", "0.0.0.0/0"] }, /uiCidrs must not contain 0\.0\.0\.0\/0/],
    ["half the internet", { uiCidrs: ["0.0.0.0/1"] }, /uiCidrs: 0\.0\.0\.0\/1 is broader than a \/16/],
    ["an IPv6 range", { webhookCidrs: ["2a0a:a440::/29"] }, /webhookCidrs: "2a0a:a440::\/29" is not an IPv4 CIDR block .*\(IPv4 only: the load balancer has no IPv6 address\)/],
    ["a malformed range", { uiCidrs: ["203.0.113.0"] }, /uiCidrs: "203\.0\.113\.0" is not an IPv4 CIDR block/],
    ["a hostname outside the certificate", { servers: [{ ...SERVERS[0], hostname: "atlantis.other.com" }] }, /hostname atlantis\.other\.com must be atlantis\.example\.com or one label under it/],
    ["a hostname two labels down", { servers: [{ ...SERVERS[0], hostname: "a.b.atlantis.example.com" }] }, /must be atlantis\.example\.com or one label under it/],
    ["two servers with one id", { servers: [SERVERS[0], { ...SERVERS[1], id: "planner" }] }, /servers\[planner\]\.id is used twice/],
    ["two servers on one host", { servers: [SERVERS[0], { ...SERVERS[1], hostname: SERVERS[0].hostname }] }, /hostname atlantis\.example\.com is used by another server/],
    ["a task role that may assume nothing", { servers: [{ ...SERVERS[0], assumableRoleArns: [] }] }, /assumableRoleArns must name the roles/],
    ["a wildcard role", { servers: [{ ...SERVERS[0], assumableRoleArns: ["arn:aws:iam::*:role/*"] }] }, /is not an IAM role ARN \(no wildcards\)/],
    ["a repo config that is not JSON", { servers: [{ ...SERVERS[0], repoConfigJson: "repos: []" }] }, /repoConfigJson is not JSON/],
    ["an empty allowlist", { repositoryAllowlist: [] }, /repositoryAllowlist must name the repositories/],
    ["a mutable tag", { imageTag: "latest" }, /imageTag "latest" must be a build's own tag/],
    ["a single public subnet", { publicSubnetIds: ["subnet-public-a"] }, /publicSubnetIds must name at least two subnets/],
    ["a rate limit WAF refuses", { wafRateLimit: 5 }, /wafRateLimit must be an integer from 10/],
    ["a target group name over ELB's 32 characters", { namePrefix: "proteomics-tooling-abc" }, /target group name "proteomics-tooling-abc-atl-planner" must be 1 to 32/],
    ["a load balancer name over ELB's 32 characters", { namePrefix: "proteomics-platform-tooling" }, /load balancer name "proteomics-platform-tooling-atlantis" must be 1 to 32/],
  ])("refuses %s with a clear message", (_, overrides, message) => {
    expect(() => atlantisStack(overrides)).toThrow(message);
  });

  it("accepts an empty operator list (no UI), leaving only the webhook rules", () => {
    const { stack: withoutUi } = atlantisStack({ uiCidrs: [] });
    const rules = Object.values(resourcesOf(JSON.parse(Testing.synth(withoutUi)), "aws_lb_listener_rule"));
    expect(rules).toHaveLength(2 * 2);
    for (const rule of rules) expect(rule.condition.map((condition: StackJson) => Object.keys(condition)[0])).toContain("path_pattern");
  });
});
