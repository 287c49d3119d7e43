import { DATA_PERIMETER_SID } from "../../modules/storage/data-perimeter";
import { POSTGRES_LOG_EXPORTS, POSTGRES_PARAMETERS } from "../../modules/data/metrics-database";
import { REDSHIFT_AUDIT_LOGS, REDSHIFT_PARAMETERS } from "../../modules/data/analytics-warehouse";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { StackJson, bucketConfig, onlyResource, referenceTo as ref, resourcesOf, synthesizedStacks } from "../helpers/synth";

/** Every data stack, synthesized once for this file. */
const dataStacks = Object.fromEntries(ENVIRONMENT_NAMES.map((name) => [name, synthesizedStacks(name)[`${name}-data`]]));

describe.each(ENVIRONMENT_NAMES)("%s-data", (name) => {
  const env = environment(name);
  const stack = dataStacks[name];
  const prefix = `proteomics-${name}`;
  /** Logical id of the key behind `alias/<prefix>-<purpose>`. */
  const keyId = (purpose: string) => {
    const alias = Object.values(resourcesOf(stack, "aws_kms_alias")).find((candidate) => candidate.name === `alias/${prefix}-${purpose}`)!;
    return /^\$\{aws_kms_key\.([^.]+)\.key_id}$/.exec(alias.target_key_id)![1];
  };
  const keyArn = (purpose: string) => `${ref("aws_kms_key", keyId(purpose))}arn}`;

  describe("KMS keys", () => {
    const keys = resourcesOf(stack, "aws_kms_key");
    const policyOf = (purpose: string) => JSON.parse(keys[keyId(purpose)].policy);
    const viaServices = (purpose: string) =>
      policyOf(purpose).Statement.find((statement: StackJson) => statement.Sid === "AccountUsesKeyThroughServices")?.Condition.StringEquals[
        "kms:ViaService"
      ];

    it("has one rotating key per data domain, each with its alias", () => {
      expect(Object.values(resourcesOf(stack, "aws_kms_alias")).map((alias) => alias.name).sort()).toEqual(
        ["customer-objects", "data", "logs", "messaging", "secrets"].map((purpose) => `alias/${prefix}-${purpose}`),
      );
      for (const key of Object.values(keys)) {
        expect(key).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: env.protection.preventDestroy } });
      }
    });

    it("lets each key be used only through the services of its domain", () => {
      const region = (service: string) => `${service}.${env.region}.amazonaws.com`;
      expect(viaServices("customer-objects")).toEqual([region("s3")]);
      expect(viaServices("data")).toEqual(["s3", "rds", "redshift", "ecr"].map(region));
      expect(viaServices("secrets")).toEqual([region("secretsmanager"), region("eks")]);
      expect(viaServices("messaging")).toEqual([region("sqs")]);
      expect(viaServices("logs")).toBeUndefined();
      const logs = policyOf("logs").Statement.find((statement: StackJson) => statement.Sid === "CloudWatchLogsEncryptsLogGroups");
      expect(logs.Principal).toEqual({ Service: `logs.${env.region}.amazonaws.com` });
    });

    it("admits service principals only under conditions, and no wildcard principal (but in the customer objects' perimeter Deny)", () => {
      for (const key of Object.values(keys)) {
        for (const statement of JSON.parse(key.policy).Statement) {
          if (statement.Principal === "*") {
            expect(statement).toMatchObject({ Sid: DATA_PERIMETER_SID, Effect: "Deny", Condition: { ArnNotLike: { "aws:PrincipalArn": expect.any(Array) } } });
            continue;
          }
          if (statement.Principal.Service) expect(statement.Condition).toBeDefined();
          for (const action of [statement.Action].flat()) expect(action).toMatch(/^kms:[A-Za-z]+$/);
        }
      }
    });

    it("lets Redshift create grants only for this environment's zero-ETL integration", () => {
      const statement = policyOf("data").Statement.find((s: StackJson) => s.Sid === "RedshiftZeroEtlGrants");
      expect(statement).toEqual({
        Sid: "RedshiftZeroEtlGrants",
        Effect: "Allow",
        Principal: { Service: "redshift.amazonaws.com" },
        Action: "kms:CreateGrant",
        Resource: "*",
        Condition: {
          StringEquals: { "kms:EncryptionContext:proteomics:integration": `${prefix}-metrics`, "aws:SourceAccount": env.awsAccountId },
          // AWS's key policy for zero-ETL: an integration of this account and region (its id exists only after the grant).
          ArnLike: { "aws:SourceArn": `arn:aws:*:${env.region}:${env.awsAccountId}:integration:*` },
          "ForAllValues:StringEquals": { "kms:GrantOperations": ["Decrypt", "GenerateDataKey", "CreateGrant"] },
        },
      });
    });

    it("lets EventBridge rules encrypt messages for this environment's queues only", () => {
      const statements = policyOf("messaging").Statement.filter((s: StackJson) => s.Principal.Service);
      expect(statements).toEqual([
        {
          Sid: "EventRulesEncryptQueueMessages",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: "*",
          // No aws:SourceAccount: SQS does not pass it to KMS for EventBridge's sends, so such a condition drops them.
          Condition: { ArnLike: { "kms:EncryptionContext:aws:sqs:arn": `arn:aws:sqs:${env.region}:${env.awsAccountId}:${prefix}-*` } },
        },
      ]);
    });
  });

  describe("buckets", () => {
    const bucketName = (purpose: string) => `${prefix}-${purpose}-${env.awsAccountId}`;
    const dataBuckets = ["uploads", "results", "work"].map(bucketName);

    it("are uploads, results, work and access-logs, protected per environment", () => {
      expect(Object.values(resourcesOf(stack, "aws_s3_bucket")).map((bucket) => bucket.bucket).sort()).toEqual(
        ["access-logs", "results", "uploads", "work"].map(bucketName),
      );
      for (const bucket of Object.values(resourcesOf(stack, "aws_s3_bucket"))) {
        expect(bucket.lifecycle).toEqual({ prevent_destroy: env.protection.preventDestroy });
        expect(bucket.force_destroy).toBe(false);
      }
    });

    it.each(["uploads", "results", "work"])("%s has the full baseline", (purpose) => {
      const bucket = bucketName(purpose);
      expect(bucketConfig(stack, "aws_s3_bucket_server_side_encryption_configuration", bucket).rule).toEqual([
        {
          apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: keyArn("customer-objects") },
          bucket_key_enabled: true,
          blocked_encryption_types: ["SSE-C"],
        },
      ]);
      expect(bucketConfig(stack, "aws_s3_bucket_versioning", bucket).versioning_configuration).toEqual({ status: "Enabled" });
      expect(bucketConfig(stack, "aws_s3_bucket_public_access_block", bucket)).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(bucketConfig(stack, "aws_s3_bucket_ownership_controls", bucket).rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
      const policy = JSON.parse(bucketConfig(stack, "aws_s3_bucket_policy", bucket).policy);
      expect(policy.Statement[0]).toMatchObject({ Effect: "Deny", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
      expect(bucketConfig(stack, "aws_s3_bucket_logging", bucket)).toMatchObject({
        target_bucket: expect.stringMatching(/^\$\{aws_s3_bucket\.buckets_access-logs_bucket_[0-9A-F]+\.bucket}$/),
        target_prefix: `${bucket}/`,
      });
      expect(bucketConfig(stack, "aws_s3_bucket_notification", bucket).eventbridge).toBe(true);
      const rules = bucketConfig(stack, "aws_s3_bucket_lifecycle_configuration", bucket).rule;
      expect(rules).toContainEqual(expect.objectContaining({ abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }));
      expect(rules).toContainEqual(
        expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: env.data.buckets.noncurrentVersionDays }] }),
      );
    });

    it("lets browsers POST uploads (presigned POST policies) from the application's origin only", () => {
      expect(bucketConfig(stack, "aws_s3_bucket_cors_configuration", bucketName("uploads")).cors_rule).toEqual([
        expect.objectContaining({ allowed_origins: [`https://${env.apps.domain}`], allowed_methods: ["POST"], expose_headers: ["ETag"] }),
      ]);
      expect(Object.keys(resourcesOf(stack, "aws_s3_bucket_cors_configuration"))).toHaveLength(1);
    });

    it("moves raw uploads to cheaper storage as they age", () => {
      expect(bucketConfig(stack, "aws_s3_bucket_lifecycle_configuration", bucketName("uploads")).rule).toContainEqual(
        expect.objectContaining({
          id: "transition-current-objects",
          transition: [
            { days: env.data.buckets.uploadsInfrequentAccessDays, storage_class: "STANDARD_IA" },
            { days: env.data.buckets.uploadsArchiveDays, storage_class: "GLACIER_IR" },
          ],
        }),
      );
    });

    it("expires Batch scratch objects after the configured days, and nothing else", () => {
      const expiring = dataBuckets.filter((bucket) =>
        bucketConfig(stack, "aws_s3_bucket_lifecycle_configuration", bucket).rule.some((rule: StackJson) => rule.id === "expire-current-objects"),
      );
      expect(expiring).toEqual([bucketName("work")]);
      expect(bucketConfig(stack, "aws_s3_bucket_lifecycle_configuration", bucketName("work")).rule).toContainEqual(
        expect.objectContaining({ expiration: [{ days: env.data.buckets.workExpirationDays }] }),
      );
    });

    it("admits S3 log delivery into the access log bucket for this environment's buckets only", () => {
      const statements = JSON.parse(bucketConfig(stack, "aws_s3_bucket_policy", bucketName("access-logs")).policy).Statement;
      expect(statements[2].Condition).toEqual({
        StringEquals: { "aws:SourceAccount": env.awsAccountId },
        ArnLike: { "aws:SourceArn": `arn:aws:s3:::${prefix}-*` },
      });
    });
  });

  describe("ECR", () => {
    it("has api, frontend and analysis repositories: immutable, scanned on push, KMS-encrypted", () => {
      const repositories = Object.values(resourcesOf(stack, "aws_ecr_repository"));
      expect(repositories.map((repository) => repository.name).sort()).toEqual(["analysis", "api", "frontend"].map((r) => `${prefix}/${r}`));
      for (const repository of repositories) {
        expect(repository).toMatchObject({
          image_tag_mutability: "IMMUTABLE",
          image_scanning_configuration: { scan_on_push: true },
          encryption_configuration: [{ encryption_type: "KMS", kms_key: keyArn("data") }],
          force_delete: false,
        });
      }
    });

    it("expires untagged images and keeps the configured number of images", () => {
      for (const lifecycle of Object.values(resourcesOf(stack, "aws_ecr_lifecycle_policy"))) {
        const rules = JSON.parse(lifecycle.policy).rules;
        expect(rules.map((rule: StackJson) => rule.selection)).toEqual([
          { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: env.data.ecr.untaggedExpireDays },
          { tagStatus: "any", countType: "imageCountMoreThan", countNumber: env.data.ecr.keepImages },
        ]);
      }
    });
  });

  describe("metrics database", () => {
    const db = onlyResource(stack, "aws_db_instance");
    const { postgres } = env.data;

    it("is sized and protected from config", () => {
      expect(db).toMatchObject({
        identifier: `${prefix}-metrics`,
        engine: "postgres",
        engine_version: postgres.engineVersion,
        instance_class: postgres.instanceClass,
        storage_type: "gp3",
        allocated_storage: postgres.allocatedStorageGiB,
        max_allocated_storage: postgres.maxAllocatedStorageGiB,
        multi_az: postgres.multiAz,
        backup_retention_period: postgres.backupRetentionDays,
        deletion_protection: env.protection.deletionProtection,
        skip_final_snapshot: !env.protection.finalSnapshot,
        lifecycle: { prevent_destroy: env.protection.preventDestroy },
      });
      if (env.protection.finalSnapshot) expect(db.final_snapshot_identifier).toBe(`${prefix}-metrics-final`);
    });

    it("is encrypted, private, IAM-authenticated, with an RDS-managed master secret", () => {
      expect(db).toMatchObject({
        storage_encrypted: true,
        kms_key_id: keyArn("data"),
        publicly_accessible: false,
        iam_database_authentication_enabled: true,
        manage_master_user_password: true,
        master_user_secret_kms_key_id: keyArn("secrets"),
        ca_cert_identifier: "rds-ca-rsa2048-g1",
        auto_minor_version_upgrade: true,
        copy_tags_to_snapshot: true,
      });
      expect(db.password).toBeUndefined();
    });

    it("lives in the isolated subnets of the network stack", () => {
      const subnetGroup = onlyResource(stack, "aws_db_subnet_group");
      expect(subnetGroup.subnet_ids).toHaveLength(env.network.availabilityZones.length);
      for (const subnet of subnetGroup.subnet_ids) expect(subnet).toMatch(/cross-stack-output-aws_subnetnetwork_isolated-/);
    });

    it("has the parameters zero-ETL and the security baseline need", () => {
      const parameters = onlyResource(stack, "aws_db_parameter_group");
      expect(parameters.family).toBe(`postgres${postgres.engineVersion.split(".")[0]}`);
      const values = Object.fromEntries(parameters.parameter.map((p: StackJson) => [p.name, p.value]));
      expect(values).toEqual(POSTGRES_PARAMETERS);
      expect(values).toMatchObject({ "rds.force_ssl": "1", "rds.logical_replication": "1", "rds.replica_identity_full": "1" });
      expect(db.parameter_group_name).toBe(`${ref("aws_db_parameter_group", Object.keys(resourcesOf(stack, "aws_db_parameter_group"))[0])}name}`);
    });

    it("replaces its parameter group under a new name, so a change that forces a replacement does not collide", () => {
      const parameters = onlyResource(stack, "aws_db_parameter_group");
      expect(parameters.name).toBeUndefined();
      expect(parameters.name_prefix).toBe(`${prefix}-metrics-postgres${postgres.engineVersion.split(".")[0]}-`);
      expect(parameters.lifecycle).toEqual({ create_before_destroy: true });
    });

    it("exports its logs to encrypted log groups created before it, and has Performance Insights and Enhanced Monitoring", () => {
      expect(db.enabled_cloudwatch_logs_exports).toEqual([...POSTGRES_LOG_EXPORTS]);
      const groups = Object.entries(resourcesOf(stack, "aws_cloudwatch_log_group")).filter(([, group]) =>
        group.name.startsWith(`/aws/rds/instance/${prefix}-metrics/`),
      );
      expect(groups.map(([, group]) => group.name).sort()).toEqual(POSTGRES_LOG_EXPORTS.map((log) => `/aws/rds/instance/${prefix}-metrics/${log}`).sort());
      for (const [id, group] of groups) {
        expect(group).toMatchObject({ kms_key_id: keyArn("logs"), retention_in_days: postgres.logRetentionDays });
        expect(db.depends_on).toContain(`aws_cloudwatch_log_group.${id}`);
      }
      expect(db).toMatchObject({
        performance_insights_enabled: true,
        performance_insights_kms_key_id: keyArn("data"),
        performance_insights_retention_period: postgres.performanceInsightsRetentionDays,
        monitoring_interval: postgres.monitoringIntervalSeconds,
      });
    });

    it("admits PostgreSQL only from its proxy", () => {
      const [dbGroup] = db.vpc_security_group_ids;
      const ingress = Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule")).filter((rule) => rule.security_group_id === dbGroup);
      const proxy = onlyResource(stack, "aws_db_proxy");
      expect(ingress).toEqual([
        expect.objectContaining({ from_port: 5432, to_port: 5432, ip_protocol: "tcp", referenced_security_group_id: proxy.vpc_security_group_ids[0] }),
      ]);
    });
  });

  describe("RDS Proxy", () => {
    const proxy = onlyResource(stack, "aws_db_proxy");

    it("requires TLS and IAM from every client: end to end for application users, the managed secret for the master user", () => {
      expect(proxy).toMatchObject({ engine_family: "POSTGRESQL", default_auth_scheme: "IAM_AUTH", require_tls: true, debug_logging: false });
      const [dbId] = Object.keys(resourcesOf(stack, "aws_db_instance"));
      expect(proxy.auth).toEqual([
        expect.objectContaining({
          auth_scheme: "SECRETS",
          iam_auth: "REQUIRED",
          secret_arn: `${ref("aws_db_instance", dbId)}master_user_secret[0].secret_arn}`,
        }),
      ]);
    });

    it("reads only the master secret and connects to the database only as the configured IAM users", () => {
      const roleId = Object.keys(resourcesOf(stack, "aws_iam_role")).find((id) => proxy.role_arn === `${ref("aws_iam_role", id)}arn}`)!;
      const policy = Object.values(resourcesOf(stack, "aws_iam_role_policy")).find((p) => p.role === `${ref("aws_iam_role", roleId)}name}`)!;
      const [dbId] = Object.keys(resourcesOf(stack, "aws_db_instance"));
      expect(JSON.parse(policy.policy).Statement).toEqual([
        {
          Sid: "ReadMasterUserSecret",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: `${ref("aws_db_instance", dbId)}master_user_secret[0].secret_arn}`,
        },
        {
          Sid: "DecryptMasterUserSecret",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: keyArn("secrets"),
          Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${env.region}.amazonaws.com` } },
        },
        {
          Sid: "ConnectAsIamDatabaseUsers",
          Effect: "Allow",
          Action: "rds-db:connect",
          Resource: env.data.postgres.iamDatabaseUsers.map(
            (user) => `arn:aws:rds-db:${env.region}:${env.awsAccountId}:dbuser:${ref("aws_db_instance", dbId)}resource_id}/${user}`,
          ),
        },
      ]);
    });

    it("targets the instance by reference, so it is created after the instance and destroyed before it", () => {
      const [instanceId] = Object.keys(resourcesOf(stack, "aws_db_instance"));
      expect(onlyResource(stack, "aws_db_proxy_target")).toMatchObject({
        db_proxy_name: `${ref("aws_db_proxy", Object.keys(resourcesOf(stack, "aws_db_proxy"))[0])}name}`,
        target_group_name: "default",
        db_instance_identifier: `${ref("aws_db_instance", instanceId)}identifier}`,
      });
    });

    it("reaches only the database, and admits no client until one is registered", () => {
      const [proxyGroup] = proxy.vpc_security_group_ids;
      const egress = Object.values(resourcesOf(stack, "aws_vpc_security_group_egress_rule")).filter((rule) => rule.security_group_id === proxyGroup);
      expect(egress).toEqual([expect.objectContaining({ from_port: 5432, to_port: 5432, referenced_security_group_id: onlyResource(stack, "aws_db_instance").vpc_security_group_ids[0] })]);
      const ingress = Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule")).filter((rule) => rule.security_group_id === proxyGroup);
      expect(ingress).toEqual([]);
    });
  });

  describe("warehouse", () => {
    const cluster = onlyResource(stack, "aws_redshift_cluster");
    const { redshift } = env.data;

    it("is an RA3 cluster sized from config", () => {
      expect(cluster).toMatchObject({
        cluster_identifier: `${prefix}-analytics`,
        node_type: redshift.nodeType,
        number_of_nodes: redshift.numberOfNodes,
        cluster_type: "multi-node",
        automated_snapshot_retention_period: redshift.snapshotRetentionDays,
        skip_final_snapshot: !env.protection.finalSnapshot,
        lifecycle: { prevent_destroy: env.protection.preventDestroy },
      });
    });

    it("is encrypted, private, routed through the VPC, with a managed non-default admin", () => {
      expect(cluster).toMatchObject({
        encrypted: "true",
        kms_key_id: keyArn("data"),
        publicly_accessible: false,
        enhanced_vpc_routing: true,
        manage_master_password: true,
        master_password_secret_kms_key_id: keyArn("secrets"),
        master_username: redshift.adminUsername,
      });
      expect(cluster.master_username).not.toBe("awsuser");
    });

    it("requires SSL, logs user activity and keeps identifiers case-sensitive", () => {
      const parameters = onlyResource(stack, "aws_redshift_parameter_group");
      expect(Object.fromEntries(parameters.parameter.map((p: StackJson) => [p.name, p.value]))).toEqual(REDSHIFT_PARAMETERS);
    });

    it("sends audit logs to encrypted log groups", () => {
      const logging = onlyResource(stack, "aws_redshift_logging");
      expect(logging).toMatchObject({ log_destination_type: "cloudwatch", log_exports: [...REDSHIFT_AUDIT_LOGS] });
      for (const log of REDSHIFT_AUDIT_LOGS) {
        const [id, group] = Object.entries(resourcesOf(stack, "aws_cloudwatch_log_group")).find(
          ([, g]) => g.name === `/aws/redshift/cluster/${prefix}-analytics/${log}`,
        )!;
        expect(group).toMatchObject({ kms_key_id: keyArn("logs"), retention_in_days: redshift.logRetentionDays });
        expect(logging.depends_on).toContain(`aws_cloudwatch_log_group.${id}`);
      }
    });

    it("has no IAM role: no user can COPY, UNLOAD or assume a role through the cluster to read the results, or any bucket", () => {
      expect(cluster.iam_roles).toBeUndefined();
      expect(cluster.default_iam_role_arn).toBeUndefined();
      expect(Object.values(resourcesOf(stack, "aws_iam_role")).map((role) => role.name)).not.toContain(`${prefix}-analytics-copy`);
    });

    it("is never paused: as the zero-ETL target it consumes the replication slot at all hours, and stays modifiable", () => {
      expect(resourcesOf(stack, "aws_redshift_scheduled_action")).toEqual({});
      expect(Object.values(resourcesOf(stack, "aws_iam_role")).map((role) => role.name)).not.toContain(`${prefix}-analytics-scheduler`);
    });

    it("has no egress rule: nothing leaves the cluster's network interfaces (zero-ETL and the Data API are AWS-side)", () => {
      const [group] = cluster.vpc_security_group_ids;
      const egress = Object.values(resourcesOf(stack, "aws_vpc_security_group_egress_rule")).filter((rule) => rule.security_group_id === group);
      expect(egress).toEqual([]);
    });

    it("admits no client until one is registered", () => {
      const [group] = cluster.vpc_security_group_ids;
      expect(Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule")).filter((rule) => rule.security_group_id === group)).toEqual([]);
    });
  });

  describe("zero-ETL", () => {
    const integration = onlyResource(stack, "aws_rds_integration");
    const [dbId] = Object.keys(resourcesOf(stack, "aws_db_instance"));
    const [clusterId] = Object.keys(resourcesOf(stack, "aws_redshift_cluster"));

    it("replicates the metrics database into the warehouse with the data key", () => {
      expect(integration).toMatchObject({
        integration_name: `${prefix}-metrics`,
        source_arn: `${ref("aws_db_instance", dbId)}arn}`,
        target_arn: `${ref("aws_redshift_cluster", clusterId)}cluster_namespace_arn}`,
        kms_key_id: keyArn("data"),
        additional_encryption_context: { "proteomics:integration": `${prefix}-metrics` },
        data_filter: `include: ${env.data.postgres.databaseName}.*.*`,
      });
    });

    it("is authorized by the warehouse's resource policy for this database only", () => {
      const policy = onlyResource(stack, "aws_redshift_resource_policy");
      expect(policy.resource_arn).toBe(`${ref("aws_redshift_cluster", clusterId)}cluster_namespace_arn}`);
      expect(JSON.parse(policy.policy).Statement).toEqual([
        expect.objectContaining({
          Principal: { Service: "redshift.amazonaws.com" },
          Action: "redshift:AuthorizeInboundIntegration",
          Condition: { StringEquals: { "aws:SourceArn": `${ref("aws_db_instance", dbId)}arn}` } },
        }),
        expect.objectContaining({ Principal: { AWS: `arn:aws:iam::${env.awsAccountId}:root` }, Action: "redshift:CreateInboundIntegration" }),
      ]);
      expect(integration.depends_on).toEqual([`aws_redshift_resource_policy.${Object.keys(resourcesOf(stack, "aws_redshift_resource_policy"))[0]}`]);
    });
  });
});
