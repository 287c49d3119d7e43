import { STATE_LOCK_WRITE_ACTIONS } from "../../modules/identity/state-access";
import {
  PLAN_DENIED_CREDENTIAL_READS,
  PLAN_DENIED_DATA_READS,
  PLAN_DENIED_ITEM_READS,
  PLAN_DENIED_OBJECT_READS,
  PLAN_DENIED_PARAMETER_READS,
  planReadActions,
  planReadServices,
} from "../../modules/identity/plan-permissions";
import { PolicyJson } from "../helpers/iam-simulation";
import {
  ACCOUNT,
  APPLIER,
  OTHER_KEY_ARN,
  PLANNER,
  PREFIX,
  REGION,
  STATE_BUCKET,
  STATE_KEY_ALIAS,
  STATE_KEY_ARN,
  TOOLING_ACCOUNT,
  LOCK_TABLE,
  evaluate,
  identityArn,
  roleArn,
  synthesizeIdentity,
} from "./identity-fixture";
import { actionsMatching, isWrite, matchesPattern, serviceActions } from "./iam-data";

const identity = synthesizeIdentity();
const plan = identity.roles.plan!;
const policy = plan.inline!;
const PLAN = identityArn("plan");

/** The plan role's decision on `action` on `resource` (a resource of the environment account; KMS keys with their key policy). */
const planMay = (action: string, resource: string, context: Readonly<Record<string, string | readonly string[]>> = {}) => {
  const key = resource.startsWith("arn:aws:kms:");
  const values = Object.fromEntries(Object.entries(context).map(([name, value]) => [name, typeof value === "string" ? value : [...value]]));
  return evaluate(
    { principal: PLAN, action, resource, resourceAccount: ACCOUNT, context: key ? { "kms:CallerAccount": ACCOUNT, ...values } : values },
    { identity: [policy], resource: key ? KEY_POLICY : undefined },
  );
};

/**
 * A key policy as modules/kms/kms-key.ts writes them: the account's IAM policies decide administration, and
 * cryptographic use only through the services the key serves (the state key: S3 and DynamoDB).
 */
const KEY_POLICY: PolicyJson = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"], Resource: "*" },
    {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT, "kms:ViaService": [`s3.${REGION}.amazonaws.com`, `dynamodb.${REGION}.amazonaws.com`] } },
    },
  ],
};

/** The default key policy: the account's IAM policies decide everything. */
const DEFAULT_KEY_POLICY: PolicyJson = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }],
};

/** Names of read actions that may return customer data or credentials. */
const SENSITIVE_NAME =
  /Secret|Credential|Token|Password|Object|Items?$|Records?$|LogEvents|Results?$|Sample|Console|ExecutionHistory|^(Describe|Get)Execution$|Invocations?$|Parameters?$|ParametersByPath|ParameterHistory|DataAccess|Uefi|Download|Decrypt|Unmask|APIKey|ManagedKeys|Annotations?$|Jobs$|Query$/;

/** Reads whose names match {@link SENSITIVE_NAME} but return configuration or metadata only, and why. */
const REVIEWED_READS: Readonly<Record<string, string>> = {
  "batch:ListJobs": "job ids, names and status (DescribeJobs, with parameters, is denied)",
  "batch:ListServiceJobs": "job ids, names and status",
  "cloudwatch:GetServiceLevelObjective": "an SLO's definition",
  "config:GetStoredQuery": "a saved advanced query's text, not its results",
  "cloudwatch:ListServiceLevelObjectives": "SLO names",
  "ec2:DescribeIpamExternalResourceVerificationTokens": "IPAM ownership-verification tokens (DNS challenge values), not credentials",
  "ec2:GetSerialConsoleAccessStatus": "an account setting",
  "ec2:GetVpnConnectionDeviceSampleConfiguration": "a sample router configuration (no VPN is managed here; its pre-shared keys come from DescribeVpnConnections either way)",
  "iam:GetAccountPasswordPolicy": "the password policy",
  "iam:GetCredentialReport": "credential metadata (ages, last use), no secret",
  "iam:ListServiceSpecificCredentials": "credential ids and status, no password",
  "logs:GetScheduledQuery": "a scheduled query's definition (its history, with results, is denied)",
  "logs:ListLogGroupsForQuery": "log group names",
  "rds:DescribeDBClusterParameters": "parameter group settings",
  "rds:DescribeDBParameters": "parameter group settings (aws_db_parameter_group's Read)",
  "rds:DescribeEngineDefaultClusterParameters": "engine defaults",
  "rds:DescribeEngineDefaultParameters": "engine defaults",
  "redshift:DescribeClusterParameters": "parameter group settings (aws_redshift_parameter_group's Read)",
  "redshift:DescribeDefaultClusterParameters": "engine defaults",
  "s3:GetAccessPointConfigurationForObjectLambda": "configuration",
  "s3:GetAccessPointForObjectLambda": "configuration",
  "s3:GetAccessPointPolicyForObjectLambda": "a resource policy",
  "s3:GetAccessPointPolicyStatusForObjectLambda": "a policy status",
  "s3:GetBucketObjectLockConfiguration": "bucket configuration (aws_s3_bucket's Read)",
  "s3:ListAccessPointsForObjectLambda": "access point names",
  "s3:ListJobs": "Batch Operations job ids and status",
  "secretsmanager:DescribeSecret": "a secret's metadata, never its value (aws_secretsmanager_secret's Read)",
  "secretsmanager:GetRandomPassword": "generates a random string; reads nothing",
  "secretsmanager:ListSecretVersionIds": "version ids and stages, no value",
  "secretsmanager:ListSecrets": "secret names and metadata, no value",
  "ssm:DescribeDocumentParameters": "a document's parameter declarations",
  "ssm:DescribeOpsItems": "OpsCenter items (operational findings)",
  "ssm:DescribeParameters": "parameter names and metadata, no value",
  "ssm:GetOpsItem": "an OpsCenter item (operational finding)",
  "ssm:ListComplianceItems": "patch and association compliance status",
  "ssm:ListOpsItemRelatedItems": "OpsCenter links",
  "wafv2:ListSettlementRecords": "monetization settlement records (billing), no request",
};

const statementsOf = (document: PolicyJson, effect: "Allow" | "Deny") => document.Statement.filter((statement) => statement.Effect === effect);
const patternsOf = (statement: { Action?: string | string[] }) => [statement.Action ?? []].flat();

const objectArn = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;
const tableArn = (table: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}`;
const viaS3 = { "kms:ViaService": `s3.${REGION}.amazonaws.com` };

describe("plan role: permissions", () => {
  it("is an inline policy of our own, no managed policy (it can be evaluated offline)", () => {
    expect(plan.managedPolicyArns).toEqual([]);
    expect(statementsOf(policy, "Allow").length).toBeGreaterThan(0);
  });

  it("allows no write, permissions-management or tagging action of any service it reads but the state locks (full simulator sweep)", async () => {
    const writes = planReadServices().flatMap((service) => serviceActions(service).filter(isWrite));
    const allowed: string[] = [];
    for (const { action } of writes) {
      // KMS refuses whatever its key policy does not allow: give it the default key policy, so the role's policy decides.
      const resource = action.startsWith("kms:") ? DEFAULT_KEY_POLICY : undefined;
      const result = await evaluate({ principal: PLAN, action, resource: "*", resourceAccount: ACCOUNT }, { identity: [policy], resource });
      if (result === "Allowed") allowed.push(action);
    }
    // Allowed on some resource: the lock file and lock item (the key's use needs the backend's kms:ViaService).
    expect(allowed.sort()).toEqual(["dynamodb:DeleteItem", "dynamodb:PutItem", "s3:DeleteObject", "s3:PutObject"]);
    expect(writes.length).toBeGreaterThan(1500);
  });

  it("sweeps with a simulator that sees writes in every service it reads (no service refuses everything on its own)", async () => {
    const blind: string[] = [];
    for (const service of planReadServices()) {
      const everything: PolicyJson = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: `${service}:*`, Resource: "*" }] };
      const [write] = serviceActions(service).filter(isWrite).filter((info) => !(service === "sts" && info.name.startsWith("AssumeRole")));
      const resource = service === "kms" ? DEFAULT_KEY_POLICY : undefined;
      const result = await evaluate({ principal: PLAN, action: write.action, resource: "*", resourceAccount: ACCOUNT }, { identity: [everything], resource });
      if (result !== "Allowed") blind.push(`${write.action}: ${result}`);
    }
    expect(blind).toEqual([]);
  });

  it("grants no write action of any service by name: every write its Allow patterns match is a state lock or denied unconditionally", () => {
    const allows = statementsOf(policy, "Allow").flatMap(patternsOf);
    const unconditionalDenies = statementsOf(policy, "Deny")
      .filter((statement) => statement.Resource === "*" && statement.Condition === undefined)
      .flatMap(patternsOf);
    const granted = allows.flatMap((pattern) => actionsMatching(pattern)).filter(isWrite).map(({ action }) => action);
    const unexplained = [...new Set(granted)].filter(
      (action) => !(STATE_LOCK_WRITE_ACTIONS as readonly string[]).includes(action) && !unconditionalDenies.some((deny) => matchesPattern(deny, action)),
    );
    expect(unexplained).toEqual([]);
  });

  it("reads the state, takes its locks and uses the state key only through S3 and DynamoDB", async () => {
    const state = objectArn(STATE_BUCKET, `${PREFIX}-network/terraform.tfstate`);
    expect(await planMay("s3:GetObject", state)).toBe("Allowed");
    expect(await planMay("s3:ListBucket", `arn:aws:s3:::${STATE_BUCKET}`)).toBe("Allowed");
    expect(await planMay("s3:PutObject", `${state}.tflock`)).toBe("Allowed");
    expect(await planMay("s3:DeleteObject", `${state}.tflock`)).toBe("Allowed");
    for (const action of ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]) {
      expect(await planMay(action, tableArn(LOCK_TABLE))).toBe("Allowed");
    }
    for (const action of ["kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt"]) {
      expect(await planMay(action, STATE_KEY_ARN, { ...viaS3, "kms:ResourceAliases": [STATE_KEY_ALIAS] })).toBe("Allowed");
      expect(await planMay(action, STATE_KEY_ARN, { "kms:ViaService": `dynamodb.${REGION}.amazonaws.com`, "kms:ResourceAliases": [STATE_KEY_ALIAS] })).toBe("Allowed");
      // Directly (not through the backend's services), or another key through S3: no.
      expect(await planMay(action, STATE_KEY_ARN, { "kms:ResourceAliases": [STATE_KEY_ALIAS] })).not.toBe("Allowed");
      expect(await planMay(action, OTHER_KEY_ARN, { ...viaS3, "kms:ResourceAliases": [`alias/${PREFIX}-data`] })).not.toBe("Allowed");
    }
  });

  it("never writes the state itself, nor locks anything but the state", async () => {
    const state = objectArn(STATE_BUCKET, `${PREFIX}-network/terraform.tfstate`);
    expect(await planMay("s3:PutObject", state)).toBe("ImplicitlyDenied");
    expect(await planMay("s3:DeleteObject", state)).toBe("ImplicitlyDenied");
    expect(await planMay("s3:PutObject", objectArn(`${PREFIX}-uploads-${ACCOUNT}`, "lock.tflock"))).toBe("ImplicitlyDenied");
    expect(await planMay("dynamodb:PutItem", tableArn(`${PREFIX}-other`))).toBe("ImplicitlyDenied");
    expect(await planMay("dynamodb:UpdateItem", tableArn(LOCK_TABLE))).toBe("ImplicitlyDenied");
  });

  describe("reads no customer data and mints no credentials (explicitly denied)", () => {
    const dataBucket = `${PREFIX}-uploads-${ACCOUNT}`;
    it.each([
      ["s3:GetObject", objectArn(dataBucket, "uploads/tenant-a/analysis-1/sample-1/protein.mzML"), {}],
      ["s3:GetObjectVersion", objectArn(dataBucket, "results/tenant-a/analysis-1.parquet"), {}],
      ["s3:GetObjectAttributes", objectArn(dataBucket, "results/tenant-a/analysis-1.parquet"), {}],
      ["secretsmanager:GetSecretValue", `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${PREFIX}-metrics-admin-AbCdEf`, {}],
      ["secretsmanager:BatchGetSecretValue", "*", {}],
      ["kms:Decrypt", OTHER_KEY_ARN, { ...viaS3, "kms:ResourceAliases": [`alias/${PREFIX}-data`] }],
      ["kms:Decrypt", OTHER_KEY_ARN, {}],
      ["dynamodb:GetItem", tableArn(`${PREFIX}-tenants`), {}],
      ["dynamodb:Scan", tableArn(`${PREFIX}-tenants`), {}],
      ["dynamodb:Query", tableArn(`${PREFIX}-tenants`), {}],
      ["logs:GetLogEvents", `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/eks/${PREFIX}/cluster:log-stream:kube-apiserver-1`, {}],
      ["logs:FilterLogEvents", `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/${PREFIX}-validate`, {}],
      ["logs:StartQuery", `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/${PREFIX}-validate`, {}],
      ["logs:GetQueryResults", `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/${PREFIX}-validate`, {}],
      ["redshift:GetClusterCredentials", `arn:aws:redshift:${REGION}:${ACCOUNT}:dbuser:${PREFIX}-warehouse/admin`, {}],
      ["redshift:GetClusterCredentialsWithIAM", `arn:aws:redshift:${REGION}:${ACCOUNT}:dbname:${PREFIX}-warehouse/metrics`, {}],
      ["redshift-data:GetStatementResult", "*", {}],
      ["rds-db:connect", `arn:aws:rds-db:${REGION}:${ACCOUNT}:dbuser:prx-0123456789abcdef0/publisher`, {}],
      ["ecr:GetDownloadUrlForLayer", `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${PREFIX}/api`, {}],
      ["ecr:BatchGetImage", `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${PREFIX}/api`, {}],
      ["ecr:GetAuthorizationToken", "*", {}],
      ["ssm:GetParameter", `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/${PREFIX}/database-url`, {}],
      ["ssm:GetParametersByPath", `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/${PREFIX}`, {}],
      ["ec2:GetPasswordData", `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`, {}],
      ["states:GetExecutionHistory", `arn:aws:states:${REGION}:${ACCOUNT}:execution:${PREFIX}-analysis:run-1`, {}],
      ["states:DescribeExecution", `arn:aws:states:${REGION}:${ACCOUNT}:execution:${PREFIX}-analysis:run-1`, {}],
      ["batch:DescribeJobs", "*", {}],
      ["wafv2:GetSampledRequests", `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/${PREFIX}-site/a1b2c3`, {}],
      ["sts:AssumeRole", roleArn(`${PREFIX}-eks-api`), {}],
      ["sts:AssumeRole", identityArn("deploy"), {}],
      ["sts:GetFederationToken", `arn:aws:sts::${ACCOUNT}:federated-user/someone`, {}],
    ] as const)("%s on %s", async (action, resource, context) => {
      expect(await planMay(action, resource, context)).toBe("ExplicitlyDenied");
    });

    it("reads AWS's public parameters (AMI ids, versions), which hold nothing of ours", () => {
      // The simulator cannot take a public parameter's ARN (no account): the exception is checked as written.
      const parameters = statementsOf(policy, "Deny").find((statement) => statement.Sid === "DenyParameterValues");
      expect(parameters).toEqual({ Sid: "DenyParameterValues", Effect: "Deny", Action: ["ssm:GetParameter*"], NotResource: "arn:aws:ssm:*::parameter/aws/*" });
    });
  });

  it("denies every credential and data read it names, and each name is a real action or matches one", () => {
    const denied = statementsOf(policy, "Deny").flatMap(patternsOf);
    for (const pattern of [...PLAN_DENIED_DATA_READS, ...PLAN_DENIED_CREDENTIAL_READS, ...PLAN_DENIED_ITEM_READS, ...PLAN_DENIED_OBJECT_READS, ...PLAN_DENIED_PARAMETER_READS]) {
      expect(denied).toContain(pattern);
      expect([pattern, actionsMatching(pattern).length > 0]).toEqual([pattern, true]);
    }
  });

  it("leaves allowed only the reads whose names suggest data or credentials that were reviewed as configuration (a new one in the reference fails here)", () => {
    const denied = statementsOf(policy, "Deny").flatMap(patternsOf);
    const allowed = [...new Set(planReadActions().flatMap((pattern) => actionsMatching(pattern)).map(({ action }) => action))];
    const suspicious = allowed
      .filter((action) => SENSITIVE_NAME.test(action.split(":")[1]))
      .filter((action) => !denied.some((pattern) => matchesPattern(pattern, action)));
    expect(suspicious.sort()).toEqual(Object.keys(REVIEWED_READS).sort());
  });

  it("reads each service with prefixes that match real actions", () => {
    for (const pattern of planReadActions()) expect([pattern, actionsMatching(pattern).length > 0]).toEqual([pattern, true]);
  });
});

describe("plan role: what a terraform plan reads", () => {
  // The provider's Read of each resource type the stacks synthesize (hashicorp/terraform-provider-aws v6,
  // internal/service/<service>/<resource>.go), and the S3 backend's calls: each must be allowed, or the plan fails.
  it.each([
    ["sts:GetCallerIdentity", "*"],
    ["tag:GetResources", "*"],
    ["s3:ListBucket", `arn:aws:s3:::${PREFIX}-uploads-${ACCOUNT}`], // HeadBucket (aws_s3_bucket)
    ["s3:GetBucketPolicy", `arn:aws:s3:::${PREFIX}-uploads-${ACCOUNT}`],
    ["s3:GetEncryptionConfiguration", `arn:aws:s3:::${PREFIX}-uploads-${ACCOUNT}`],
    ["s3:GetLifecycleConfiguration", `arn:aws:s3:::${PREFIX}-uploads-${ACCOUNT}`],
    ["s3:GetBucketNotification", `arn:aws:s3:::${PREFIX}-uploads-${ACCOUNT}`],
    ["s3:GetBucketObjectLockConfiguration", `arn:aws:s3:::${PREFIX}-uploads-${ACCOUNT}`],
    ["lambda:GetFunction", `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${PREFIX}-validate-analysis-input`],
    ["lambda:ListVersionsByFunction", `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${PREFIX}-validate-analysis-input`],
    ["lambda:GetFunctionCodeSigningConfig", `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${PREFIX}-validate-analysis-input`],
    ["secretsmanager:DescribeSecret", `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${PREFIX}-metrics-admin-AbCdEf`],
    ["secretsmanager:GetResourcePolicy", `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${PREFIX}-metrics-admin-AbCdEf`],
    ["ec2:DescribeInstances", "*"],
    ["ec2:DescribeInstanceAttribute", `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`],
    ["ec2:DescribeLaunchTemplateVersions", "*"],
    ["eks:DescribeCluster", `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${PREFIX}-eks`],
    ["eks:DescribeAddon", `arn:aws:eks:${REGION}:${ACCOUNT}:addon/${PREFIX}-eks/vpc-cni/a1b2c3d4`],
    ["eks:ListAssociatedAccessPolicies", `arn:aws:eks:${REGION}:${ACCOUNT}:access-entry/${PREFIX}-eks/role/${ACCOUNT}/x/a1b2c3d4`],
    ["rds:DescribeDBInstances", `arn:aws:rds:${REGION}:${ACCOUNT}:db:${PREFIX}-metrics`],
    ["rds:DescribeDBProxies", `arn:aws:rds:${REGION}:${ACCOUNT}:db-proxy:prx-0123456789abcdef0`],
    ["rds:DescribeIntegrations", `arn:aws:rds:${REGION}:${ACCOUNT}:integration:a1b2c3d4-0000-0000-0000-000000000000`],
    ["redshift:DescribeClusters", `arn:aws:redshift:${REGION}:${ACCOUNT}:cluster:${PREFIX}-warehouse`],
    ["redshift:DescribeLoggingStatus", `arn:aws:redshift:${REGION}:${ACCOUNT}:cluster:${PREFIX}-warehouse`],
    ["redshift:GetResourcePolicy", "*"],
    ["kms:DescribeKey", OTHER_KEY_ARN],
    ["kms:GetKeyPolicy", OTHER_KEY_ARN],
    ["kms:GetKeyRotationStatus", OTHER_KEY_ARN],
    ["kms:ListResourceTags", OTHER_KEY_ARN],
    ["kms:ListAliases", "*"],
    ["iam:GetRole", roleArn(`${PREFIX}-eks-api`)],
    ["iam:ListAttachedRolePolicies", roleArn(`${PREFIX}-eks-api`)],
    ["iam:GetRolePolicy", roleArn(`${PREFIX}-eks-api`)],
    ["iam:GetPolicyVersion", `arn:aws:iam::${ACCOUNT}:policy/${PREFIX}-eks-karpenter-node-lifecycle`],
    ["iam:GetInstanceProfile", `arn:aws:iam::${ACCOUNT}:instance-profile/${PREFIX}-session-host`],
    ["states:DescribeStateMachine", `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${PREFIX}-analysis`],
    ["states:ListTagsForResource", `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${PREFIX}-analysis`],
    ["logs:DescribeLogGroups", "*"],
    ["logs:ListTagsForResource", `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/${PREFIX}-validate`],
    ["dynamodb:DescribeTable", tableArn(LOCK_TABLE)],
    ["dynamodb:DescribeContinuousBackups", tableArn(LOCK_TABLE)],
    ["dynamodb:DescribeTimeToLive", tableArn(LOCK_TABLE)],
    ["ecr:DescribeRepositories", `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${PREFIX}/api`],
    ["ecr:GetLifecyclePolicy", `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${PREFIX}/api`],
    ["sqs:GetQueueAttributes", `arn:aws:sqs:${REGION}:${ACCOUNT}:${PREFIX}-analysis-status`],
    ["sns:GetTopicAttributes", `arn:aws:sns:${REGION}:${ACCOUNT}:${PREFIX}-alerts`],
    ["sns:GetSubscriptionAttributes", "*"],
    ["events:DescribeRule", `arn:aws:events:${REGION}:${ACCOUNT}:rule/${PREFIX}-analysis-status`],
    ["events:ListTargetsByRule", `arn:aws:events:${REGION}:${ACCOUNT}:rule/${PREFIX}-analysis-status`],
    ["batch:DescribeComputeEnvironments", "*"],
    ["batch:DescribeJobDefinitions", "*"],
    ["batch:DescribeSchedulingPolicies", "*"],
    ["acm:DescribeCertificate", `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/a1b2c3d4-0000-0000-0000-000000000000`],
    ["cloudwatch:GetDashboard", `arn:aws:cloudwatch::${ACCOUNT}:dashboard/${PREFIX}-operations`],
    ["cloudwatch:DescribeAlarms", "*"],
    ["ssm:DescribeDocument", `arn:aws:ssm:${REGION}:${ACCOUNT}:document/${PREFIX}-session`],
    ["ssm:GetDocument", `arn:aws:ssm:${REGION}:${ACCOUNT}:document/${PREFIX}-session`],
    ["wafv2:GetWebACL", `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/${PREFIX}-site/a1b2c3`],
    ["wafv2:GetLoggingConfiguration", `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/${PREFIX}-site/a1b2c3`],
    ["route53:ListResourceRecordSets", "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"],
    ["route53:GetChange", "arn:aws:route53:::change/C0123456789ABCDEFGHIJ"],
  ] as const)("%s", async (action, resource) => {
    expect(await planMay(action, resource)).toBe("Allowed");
  });
});

describe("plan role: trust", () => {
  const assume = (principal: string) =>
    evaluate(
      { principal, action: "sts:AssumeRole", resource: PLAN, resourceAccount: ACCOUNT, context: { "aws:PrincipalArn": principal } },
      { identity: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] }], resource: plan.trust },
    );

  it("admits Atlantis's planner and the environment's developers and administrators (local plans)", async () => {
    expect(await assume(PLANNER)).toBe("Allowed");
    expect(await assume(identityArn("developer"))).toBe("Allowed");
    expect(await assume(identityArn("platformAdmin"))).toBe("Allowed");
  });

  it("refuses the applier (it applies saved plans with the deploy role), any other role of either account and other accounts", async () => {
    expect(await assume(APPLIER)).not.toBe("Allowed");
    expect(await assume(`arn:aws:iam::${TOOLING_ACCOUNT}:role/proteomics-tooling-atlantis-server`)).not.toBe("Allowed");
    expect(await assume(roleArn(`${PREFIX}-eks-api`))).not.toBe("Allowed");
    expect(await assume(identityArn("breakGlass"))).not.toBe("Allowed");
    expect(await assume(`arn:aws:iam::444455556666:role/proteomics-tooling-atlantis-planner`)).not.toBe("Allowed");
  });

  it("names the planner by aws:PrincipalArn under the tooling account's root, never as a principal", () => {
    for (const statement of plan.trust.Statement) {
      expect(statement.Principal.AWS).toMatch(/^arn:aws:iam::\d{12}:root$/);
      expect(Object.keys(statement.Condition)).toEqual(["ArnEquals"]);
    }
    expect(plan.trust.Statement[0]).toMatchObject({ Principal: { AWS: `arn:aws:iam::${TOOLING_ACCOUNT}:root` }, Condition: { ArnEquals: { "aws:PrincipalArn": PLANNER } } });
    expect(plan.resource.max_session_duration).toBe(3600);
  });
});
