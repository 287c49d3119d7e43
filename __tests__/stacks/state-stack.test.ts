import { identityRoleArn } from "../../stacks/naming";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { decision, withValues } from "../helpers/iam-simulation";
import { StackJson, bucketConfig, bucketId, onlyResource, referenceTo, resourcesOf, synthesizedStacks } from "../helpers/synth";

/** Every state stack, synthesized once for this file. */
const stateStacks = Object.fromEntries(
  ENVIRONMENT_NAMES.map((name) => [name, synthesizedStacks(name)[`${name}-state`]]),
);

describe.each(ENVIRONMENT_NAMES)("%s-state", (name) => {
  const env = environment(name);
  const stack = stateStacks[name];
  const [keyId] = Object.keys(resourcesOf(stack, "aws_kms_key"));
  const keyArn = `${referenceTo("aws_kms_key", keyId)}arn}`;

  describe("KMS key", () => {
    const key = onlyResource(stack, "aws_kms_key");
    const policy = JSON.parse(key.policy);

    it("is a rotating symmetric customer-managed key that cannot be destroyed by accident", () => {
      expect(key).toMatchObject({
        enable_key_rotation: true,
        rotation_period_in_days: 365,
        customer_master_key_spec: "SYMMETRIC_DEFAULT",
        deletion_window_in_days: 30,
        lifecycle: { prevent_destroy: true },
      });
    });

    it("has an alias alias/<project>-<env>-terraform-state", () => {
      expect(onlyResource(stack, "aws_kms_alias").name).toBe(`alias/proteomics-${name}-terraform-state`);
    });

    it("lets the account use it only through S3 and DynamoDB", () => {
      const usage = policy.Statement.find((statement: StackJson) => statement.Sid === "AccountUsesKeyThroughServices");
      expect(usage.Principal).toEqual({ AWS: `arn:aws:iam::${env.awsAccountId}:root` });
      expect(usage.Condition).toEqual({
        StringEquals: {
          "kms:CallerAccount": env.awsAccountId,
          "kms:ViaService": [`s3.${env.region}.amazonaws.com`, `dynamodb.${env.region}.amazonaws.com`],
        },
      });
      expect(usage.Action).toEqual(expect.arrayContaining(["kms:Decrypt", "kms:GenerateDataKey", "kms:CreateGrant"]));
    });

    it("grants only to the environment's own account, with no wildcard actions (its one Deny is the state perimeter)", () => {
      for (const statement of policy.Statement.filter((candidate: StackJson) => candidate.Effect !== "Deny")) {
        expect(statement.Effect).toBe("Allow");
        expect(statement.Principal).toEqual({ AWS: `arn:aws:iam::${env.awsAccountId}:root` });
        for (const action of statement.Action) expect(action).toMatch(/^kms:[A-Za-z]+$/);
      }
      const administration = policy.Statement.find((statement: StackJson) => statement.Sid === "AccountAdministersKey");
      expect(administration.Action).not.toEqual(expect.arrayContaining(["kms:Decrypt", "kms:Encrypt"]));
      expect(administration.Action).toEqual(expect.arrayContaining(["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"]));
    });
  });

  describe("KMS key perimeter (evaluated by the IAM simulator)", () => {
    const policy = JSON.parse(onlyResource(stack, "aws_kms_key").policy);
    const keyArn = `arn:aws:kms:${env.region}:${env.awsAccountId}:key/state`;
    const everything = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] };
    const throughS3 = { "kms:ViaService": `s3.${env.region}.amazonaws.com`, "kms:CallerAccount": env.awsAccountId };
    const decrypt = (roleArn: string) =>
      decision(
        { principal: `${roleArn.replace(":iam::", ":sts::").replace(/:role\/(?:.*\/)?/, ":assumed-role/")}/s`, action: "kms:Decrypt", resource: keyArn, resourceAccount: env.awsAccountId, context: { "aws:PrincipalArn": roleArn, ...throughS3 } },
        { identity: [everything], resource: policy },
      );

    it("lets the plan, deploy, platform-admin and break-glass roles decrypt state through S3, and refuses every other role", async () => {
      for (const kind of ["plan", "deploy", "platformAdmin", "breakGlass"] as const) expect([kind, await decrypt(identityRoleArn(env, kind))]).toEqual([kind, "Allowed"]);
      for (const roleArn of [identityRoleArn(env, "developer"), `arn:aws:iam::${env.awsAccountId}:role/proteomics-${name}-eks-api`]) {
        expect([roleArn, await decrypt(roleArn)]).toEqual([roleArn, "ExplicitlyDenied"]);
      }
    });

    it("leaves a service's own calls (DynamoDB through its grant) to the grant: the perimeter denies principals, not services", () => {
      const perimeter = policy.Statement.find((statement: StackJson) => statement.Effect === "Deny");
      expect(perimeter.Condition.BoolIfExists).toEqual({ "aws:PrincipalIsAWSService": "false" });
    });
  });

  describe("state bucket", () => {
    const bucket = resourcesOf(stack, "aws_s3_bucket")[bucketId(stack, env.state.bucketName)];
    const stateBucketConfig = (type: string) => bucketConfig(stack, type, env.state.bucketName);

    it("is named from config and protected from destroy", () => {
      expect(bucket).toEqual(
        expect.objectContaining({ bucket: env.state.bucketName, force_destroy: false, lifecycle: { prevent_destroy: true } }),
      );
    });

    it("is versioned", () => {
      expect(stateBucketConfig("aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    });

    it("encrypts with the state key, a bucket key and no SSE-C", () => {
      expect(stateBucketConfig("aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
        {
          apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: keyArn },
          bucket_key_enabled: true,
          blocked_encryption_types: ["SSE-C"],
        },
      ]);
    });

    it("blocks all public access and disables ACLs", () => {
      expect(stateBucketConfig("aws_s3_bucket_public_access_block")).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(stateBucketConfig("aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    });

    it("denies requests that are not TLS 1.2 or later", () => {
      const policy = JSON.parse(stateBucketConfig("aws_s3_bucket_policy").policy);
      expect(policy.Statement.slice(0, 2)).toEqual([
        expect.objectContaining({ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        expect.objectContaining({ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } }),
      ]);
      for (const statement of policy.Statement.slice(0, 2)) {
        expect(statement.Resource).toEqual([expect.stringMatching(/\.arn}$/), expect.stringMatching(/\.arn}\/\*$/)]);
      }
    });

    describe("refuses state written with anything but the state key (evaluated by the IAM simulator)", () => {
      const keyResourceArn = `arn:aws:kms:${env.region}:${env.awsAccountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
      const aliasArn = `arn:aws:kms:${env.region}:${env.awsAccountId}:alias/proteomics-${name}-terraform-state`;
      const bucketArn = `arn:aws:s3:::${env.state.bucketName}`;
      const bucketPolicy = withValues(stateBucketConfig("aws_s3_bucket_policy").policy, {
        [`aws_kms_key.${keyId}.arn`]: keyResourceArn,
        [`aws_s3_bucket.${bucketId(stack, env.state.bucketName)}.arn`]: bucketArn,
      });
      const deployRole = { Statement: [{ Effect: "Allow", Action: ["s3:PutObject"], Resource: `${bucketArn}/*` }] };
      const put = (object: string, context: Record<string, string>) =>
        decision(
          { principal: identityRoleArn(env, "deploy"), action: "s3:PutObject", resource: `${bucketArn}/${object}`, resourceAccount: env.awsAccountId, context: { "s3:TlsVersion": "1.3", "aws:PrincipalArn": identityRoleArn(env, "deploy"), ...context } },
          { identity: [deployRole], resource: bucketPolicy },
        );
      const kms = (keyIdHeader: string) => ({ "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": keyIdHeader });

      it.each([`${name}-network/terraform.tfstate`, `${name}-network/terraform.tfstate.tflock`])("accepts %s written as every backend writes it", async (object) => {
        expect(await put(object, kms(aliasArn))).toBe("Allowed");
        expect(await put(object, kms(keyResourceArn))).toBe("Allowed");
      });

      it("accepts a write that names no encryption (a multipart part): the bucket's default applies the state key", async () => {
        expect(await put(`${name}-network/terraform.tfstate`, {})).toBe("Allowed");
      });

      it("refuses SSE-S3 (what encrypt = true alone sends) and any other KMS key", async () => {
        expect(await put(`${name}-network/terraform.tfstate`, { "s3:x-amz-server-side-encryption": "AES256" })).toBe("ExplicitlyDenied");
        expect(await put(`${name}-network/terraform.tfstate`, kms(`arn:aws:kms:${env.region}:${env.awsAccountId}:key/another`))).toBe("ExplicitlyDenied");
      });
    });

    describe("admits only the roles that plan and apply, the administrators and break-glass (evaluated by the IAM simulator)", () => {
      const bucketArn = `arn:aws:s3:::${env.state.bucketName}`;
      const bucketPolicy = () =>
        withValues(stateBucketConfig("aws_s3_bucket_policy").policy, {
          [`aws_kms_key.${keyId}.arn`]: `arn:aws:kms:${env.region}:${env.awsAccountId}:key/k`,
          [`aws_s3_bucket.${bucketId(stack, env.state.bucketName)}.arn`]: bucketArn,
        });
      const everything = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] };
      const request = (roleArn: string, action: string, resource: string) =>
        decision(
          { principal: `${roleArn.replace(":iam::", ":sts::").replace(/:role\/(?:.*\/)?/, ":assumed-role/")}/session`, action, resource, resourceAccount: env.awsAccountId, context: { "aws:PrincipalArn": roleArn } },
          { identity: [everything], resource: bucketPolicy() },
        );
      const ssoAdministrator = `arn:aws:iam::${env.awsAccountId}:role/aws-reserved/sso.amazonaws.com/${env.region}/AWSReservedSSO_AdministratorAccess_0123456789abcdef`;

      it("lets the plan, deploy, platform-admin and break-glass roles and the account's first administrators read, write and list state", async () => {
        for (const roleArn of [...(["plan", "deploy", "platformAdmin", "breakGlass"] as const).map((kind) => identityRoleArn(env, kind)), ssoAdministrator]) {
          expect([roleArn, await request(roleArn, "s3:GetObject", `${bucketArn}/${name}-network/terraform.tfstate`)]).toEqual([roleArn, "Allowed"]);
          expect([roleArn, await request(roleArn, "s3:ListBucket", bucketArn)]).toEqual([roleArn, "Allowed"]);
        }
      });

      it("refuses every other role of the account, developers, workloads and other administrators included", async () => {
        const others = [
          identityRoleArn(env, "developer"),
          `arn:aws:iam::${env.awsAccountId}:role/proteomics-${name}-eks-api`,
          `arn:aws:iam::${env.awsAccountId}:role/aws-reserved/sso.amazonaws.com/${env.region}/AWSReservedSSO_PowerUserAccess_0123456789abcdef`,
        ];
        for (const roleArn of others) {
          for (const [action, resource] of [["s3:GetObject", `${bucketArn}/${name}-data/terraform.tfstate`], ["s3:PutObject", `${bucketArn}/${name}-data/terraform.tfstate`], ["s3:ListBucket", bucketArn]]) {
            expect([roleArn, action, await request(roleArn, action, resource)]).toEqual([roleArn, action, "ExplicitlyDenied"]);
          }
        }
      });
    });

    it("sends its server access logs to the access log bucket", () => {
      const logsName = `proteomics-${name}-tfstate-logs-${env.awsAccountId}`;
      expect(stateBucketConfig("aws_s3_bucket_logging")).toMatchObject({
        target_bucket: `${referenceTo("aws_s3_bucket", bucketId(stack, logsName))}bucket}`,
        target_prefix: `${env.state.bucketName}/`,
      });
    });

    it("expires noncurrent versions after the configured days and aborts stale uploads", () => {
      const rules = stateBucketConfig("aws_s3_bucket_lifecycle_configuration").rule;
      expect(rules).toEqual([
        expect.objectContaining({ status: "Enabled", abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }),
        expect.objectContaining({
          status: "Enabled",
          noncurrent_version_expiration: [{ noncurrent_days: env.state.noncurrentVersionDays }],
        }),
      ]);
    });
  });

  describe("lock table", () => {
    const table = onlyResource(stack, "aws_dynamodb_table");

    it("is the LockID table Terraform's S3 backend expects", () => {
      expect(table).toMatchObject({
        name: `proteomics-${name}-terraform-locks`,
        hash_key: "LockID",
        attribute: [{ name: "LockID", type: "S" }],
        billing_mode: "PAY_PER_REQUEST",
      });
    });

    it("has point-in-time recovery, KMS encryption, deletion protection and prevent_destroy", () => {
      expect(table).toMatchObject({
        point_in_time_recovery: { enabled: true },
        server_side_encryption: { enabled: true, kms_key_arn: keyArn },
        deletion_protection_enabled: true,
        lifecycle: { prevent_destroy: true },
      });
    });
  });

  describe("access log bucket", () => {
    const logsName = `proteomics-${name}-tfstate-logs-${env.awsAccountId}`;

    it("uses SSE-S3, the only encryption S3 log delivery supports, and blocks public access", () => {
      expect(bucketConfig(stack, "aws_s3_bucket_server_side_encryption_configuration", logsName).rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" }, blocked_encryption_types: ["SSE-C"] },
      ]);
      expect(bucketConfig(stack, "aws_s3_bucket_public_access_block", logsName)).toMatchObject({ restrict_public_buckets: true });
    });

    it("admits log delivery from this account's state bucket only, over TLS", () => {
      const statements = JSON.parse(bucketConfig(stack, "aws_s3_bucket_policy", logsName).policy).Statement;
      expect(statements.map((statement: StackJson) => statement.Sid)).toEqual(["DenyInsecureTransport", "DenyOutdatedTls", "S3ServerAccessLogDelivery"]);
      expect(statements[2]).toEqual({
        Sid: "S3ServerAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${logsName}/*`,
        Condition: {
          StringEquals: { "aws:SourceAccount": env.awsAccountId },
          ArnLike: { "aws:SourceArn": `arn:aws:s3:::${env.state.bucketName}` },
        },
      });
    });

    it("expires log records after the configured retention", () => {
      expect(bucketConfig(stack, "aws_s3_bucket_lifecycle_configuration", logsName).rule).toContainEqual(
        expect.objectContaining({ id: "expire-current-objects", expiration: [{ days: env.state.accessLogRetentionDays }] }),
      );
    });
  });

  it("outputs the bucket, table and key for the bootstrap checks", () => {
    expect(Object.keys(stack.output).sort()).toEqual(["lock-table-name", "state-bucket-name", "state-key-arn"]);
  });
});
