import { ANALYSIS_PREFIX, MANIFEST_PREFIX, PRESIGNED_MAX_AGE_SECONDS, UPLOADS_PREFIX } from "../../modules/pipeline/analysis-contract";
import { CLEAN_SCAN_STATUS, SCAN_STATUS_TAG } from "../../modules/data/upload-scanning";
import { TENANT_TAG } from "../../modules/tenancy/tenant-session";
import { DASHBOARD_TENANTS_GROUP, TENANT_USER_PREFIX } from "../../modules/data/dashboard-names";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { PolicyJson, decision, expressionValues, withValues } from "../helpers/iam-simulation";
import { StackJson, referenceTo as ref, resolveCrossStack, resourcesOf, synthesizedStacks } from "../helpers/synth";

// Tenant isolation by IAM (ABAC): the API and the analysis jobs reach customer data only through sessions tagged with
// a tenant, and those sessions are allowed that tenant's keys and no other's. Evaluated with the IAM simulator on the
// synthesized identity, trust and bucket policies.

const TENANT = "acmelab01";
const OTHER = "betabio02";

describe.each(ENVIRONMENT_NAMES)("%s tenant isolation (evaluated by the IAM simulator)", (name) => {
  const env = environment(name);
  const stacks = synthesizedStacks(name);
  const values = expressionValues(stacks, env.awsAccountId, env.region);
  const bucket = (purpose: string) => `arn:aws:s3:::proteomics-${name}-${purpose}-${env.awsAccountId}`;

  /** The stack, logical id and resource of the role named `roleName`. */
  const findRole = (roleName: string): [StackJson, string, StackJson] => {
    for (const stack of Object.values(stacks)) {
      const found = Object.entries(resourcesOf(stack, "aws_iam_role")).find(([, role]) => role.name === roleName);
      if (found) return [stack, ...found];
    }
    throw new Error(`no role ${roleName} in ${name}`);
  };
  const resolved = (text: string): PolicyJson => withValues(resolveCrossStack(stacks, text), values);
  /** Every inline policy of the role, from its own stack and from the stacks that add to it (the pipeline's to the API's). */
  const identityOf = (roleName: string): PolicyJson[] => {
    const [, id] = findRole(roleName);
    return Object.values(stacks).flatMap((stack) =>
      Object.values(resourcesOf(stack, "aws_iam_role_policy"))
        .filter((policy) => resolveCrossStack(stacks, policy.role) === `${ref("aws_iam_role", id)}name}`)
        .map((policy) => resolved(policy.policy)),
    );
  };
  const trustOf = (roleName: string): PolicyJson => resolved(findRole(roleName)[2].assume_role_policy);
  /** The policy of the data bucket `resource` is in (every one has the data perimeter; uploads also the manifest rules). */
  const bucketPolicyOf = (resource: string) => {
    const data = stacks[`${name}-data`];
    const [id] = Object.entries(resourcesOf(data, "aws_s3_bucket")).find(([, candidate]) => resource === `arn:aws:s3:::${candidate.bucket}` || resource.startsWith(`arn:aws:s3:::${candidate.bucket}/`))!;
    const policy = Object.values(resourcesOf(data, "aws_s3_bucket_policy")).find((candidate) => String(candidate.bucket).startsWith(ref("aws_s3_bucket", id)))!;
    return resolved(policy.policy);
  };

  /** A request of a session of `roleName` tagged with `tenant` (the only way customer data is reached). */
  const asTenant = (roleName: string, tenant: string, action: string, resource: string, context: Record<string, string> = {}) =>
    decision(
      {
        principal: `arn:aws:sts::${env.awsAccountId}:assumed-role/${roleName}/${tenant}-session`,
        action,
        resource,
        resourceAccount: env.awsAccountId,
        context: { "aws:PrincipalArn": `arn:aws:iam::${env.awsAccountId}:role/${roleName}`, [`aws:PrincipalTag/${TENANT_TAG}`]: tenant, ...context },
      },
      { identity: identityOf(roleName), resource: resource.startsWith("arn:aws:s3:::") ? bucketPolicyOf(resource) : undefined },
    );
  const clean = { [`s3:ExistingObjectTag/${SCAN_STATUS_TAG}`]: CLEAN_SCAN_STATUS };
  /** Each of `cases` ([action, resource, context]) for the session's own tenant and for another: allowed, then refused. */
  const ownOnly = async (roleName: string, cases: Array<[string, (tenant: string) => string, Record<string, string>?]>) => {
    for (const [action, resource, context] of cases) {
      expect([action, resource(TENANT), await asTenant(roleName, TENANT, action, resource(TENANT), context)]).toEqual([action, resource(TENANT), "Allowed"]);
      expect([action, resource(OTHER), await asTenant(roleName, TENANT, action, resource(OTHER), context)]).toEqual([action, resource(OTHER), "ImplicitlyDenied"]);
    }
  };
  const list = async (roleName: string, purpose: string, prefix: string, tenant: string) =>
    asTenant(roleName, TENANT, "s3:ListBucket", bucket(purpose), { "s3:prefix": `${prefix}${tenant}/` });

  const roles = {
    api: `proteomics-${name}-eks-api`,
    frontend: `proteomics-${name}-eks-frontend`,
    identify: `proteomics-${name}-identify-job`,
    aggregate: `proteomics-${name}-aggregate-job`,
    publishMetrics: `proteomics-${name}-publish-metrics-job`,
  };
  const tenantRole = (workloadRole: string) => workloadRole.replace(/-job$/, "") + "-tenant";

  it("the API's tenant session writes and reads its tenant's uploads and manifests and reads its results, never another tenant's", async () => {
    const api = tenantRole(roles.api);
    await ownOnly(api, [
      ["s3:PutObject", (tenant) => `${bucket("uploads")}/${UPLOADS_PREFIX}${tenant}/a1/sample-1/protein-1.raw`],
      ["s3:GetObject", (tenant) => `${bucket("uploads")}/${UPLOADS_PREFIX}${tenant}/a1/sample-1/protein-1.raw`],
      ["s3:PutObject", (tenant) => `${bucket("uploads")}/${MANIFEST_PREFIX}${tenant}/a1/samples.jsonl`],
      ["s3:GetObject", (tenant) => `${bucket("results")}/${ANALYSIS_PREFIX}${tenant}/a1/report.json`],
    ]);
    expect(await asTenant(api, TENANT, "s3:PutObject", `${bucket("results")}/${ANALYSIS_PREFIX}${TENANT}/a1/report.json`)).toBe("ImplicitlyDenied");
    expect(await list(api, "uploads", UPLOADS_PREFIX, TENANT)).toBe("Allowed");
    expect(await list(api, "uploads", UPLOADS_PREFIX, OTHER)).toBe("ImplicitlyDenied");
    expect(await asTenant(api, TENANT, "s3:ListBucket", bucket("uploads"), { "s3:prefix": UPLOADS_PREFIX })).toBe("ImplicitlyDenied");
    expect(await list(api, "results", ANALYSIS_PREFIX, OTHER)).toBe("ImplicitlyDenied");
  });

  it("each analysis job's tenant session reads and writes only its tenant's keys, and only what its step needs", async () => {
    await ownOnly(tenantRole(roles.identify), [
      ["s3:GetObject", (tenant) => `${bucket("uploads")}/${UPLOADS_PREFIX}${tenant}/a1/sample-1/protein-1.raw`, clean],
      ["s3:GetObject", (tenant) => `${bucket("uploads")}/${MANIFEST_PREFIX}${tenant}/a1/samples/sample-1.jsonl`, clean],
      ["s3:PutObject", (tenant) => `${bucket("work")}/${ANALYSIS_PREFIX}${tenant}/a1/sample-1/protein-1.psm`],
    ]);
    await ownOnly(tenantRole(roles.aggregate), [
      ["s3:GetObject", (tenant) => `${bucket("work")}/${ANALYSIS_PREFIX}${tenant}/a1/sample-1/protein-1.psm`],
      ["s3:PutObject", (tenant) => `${bucket("results")}/${ANALYSIS_PREFIX}${tenant}/a1/sample-1/quant.tsv`],
    ]);
    await ownOnly(tenantRole(roles.publishMetrics), [["s3:GetObject", (tenant) => `${bucket("results")}/${ANALYSIS_PREFIX}${tenant}/a1/sample-1/quant.tsv`]]);
    expect(await list(tenantRole(roles.identify), "uploads", UPLOADS_PREFIX, OTHER)).toBe("ImplicitlyDenied");
    // A step cannot do another's work: identify never writes results, publish-metrics never writes anything.
    expect(await asTenant(tenantRole(roles.identify), TENANT, "s3:PutObject", `${bucket("results")}/${ANALYSIS_PREFIX}${TENANT}/a1/x`)).toBe("ImplicitlyDenied");
    expect(await asTenant(tenantRole(roles.publishMetrics), TENANT, "s3:PutObject", `${bucket("results")}/${ANALYSIS_PREFIX}${TENANT}/a1/x`)).toBe("ImplicitlyDenied");
  });

  it("the front-end's tenant session signs in to the warehouse as its tenant's dashboard user only (whose rows row-level security filters)", async () => {
    const frontend = tenantRole(roles.frontend);
    const warehouse = (type: string, object: string) => `arn:aws:redshift:${env.region}:${env.awsAccountId}:${type}:proteomics-${name}-analytics/${object}`;
    await ownOnly(frontend, [
      ["redshift:GetClusterCredentials", (tenant) => warehouse("dbuser", `${TENANT_USER_PREFIX}${tenant}`)],
      ["redshift:CreateClusterUser", (tenant) => warehouse("dbuser", `${TENANT_USER_PREFIX}${tenant}`)],
    ]);
    expect(await asTenant(frontend, TENANT, "redshift:JoinGroup", warehouse("dbgroup", DASHBOARD_TENANTS_GROUP))).toBe("Allowed");
    // Not the admin, not any other group, not the Data API as itself.
    expect(await asTenant(frontend, TENANT, "redshift:GetClusterCredentials", warehouse("dbuser", env.data.redshift.adminUsername))).toBe("ImplicitlyDenied");
    expect(await asTenant(frontend, TENANT, "redshift:JoinGroup", warehouse("dbgroup", "admins"))).toBe("ImplicitlyDenied");
    expect(await asTenant(frontend, TENANT, "redshift-data:ExecuteStatement", `arn:aws:redshift:${env.region}:${env.awsAccountId}:cluster:proteomics-${name}-analytics`)).toBe("ImplicitlyDenied");
  });

  it("the workload roles themselves reach no customer data: only through a tenant session", async () => {
    for (const roleName of Object.values(roles)) {
      for (const [action, purpose, key] of [
        ["s3:GetObject", "uploads", `${UPLOADS_PREFIX}${TENANT}/a1/sample-1/protein-1.raw`],
        ["s3:PutObject", "uploads", `${UPLOADS_PREFIX}${TENANT}/a1/sample-1/protein-1.raw`],
        ["s3:GetObject", "results", `${ANALYSIS_PREFIX}${TENANT}/a1/report.json`],
        ["s3:GetObject", "work", `${ANALYSIS_PREFIX}${TENANT}/a1/sample-1/protein-1.psm`],
      ]) {
        const result = await decision(
          { principal: `arn:aws:sts::${env.awsAccountId}:assumed-role/${roleName}/s`, action, resource: `${bucket(purpose)}/${key}`, resourceAccount: env.awsAccountId, context: action === "s3:GetObject" ? clean : {} },
          { identity: identityOf(roleName) },
        );
        expect([roleName, action, purpose, result]).toEqual([roleName, action, purpose, "ImplicitlyDenied"]);
      }
    }
  });

  it("a tenant session is opened only by its workload's role, only with a tenant tag that is one key segment", async () => {
    for (const workloadRole of Object.values(roles)) {
      const target = tenantRole(workloadRole);
      const [, , role] = findRole(target);
      const targetArn = `arn:aws:iam::${env.awsAccountId}:role/${role.name}`;
      const assume = (principalRole: string, action: string, tags: Record<string, string>) =>
        decision(
          {
            principal: `arn:aws:sts::${env.awsAccountId}:assumed-role/${principalRole}/s`,
            action,
            resource: targetArn,
            resourceAccount: env.awsAccountId,
            context: { ...Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:RequestTag/${key}`, value])), ...(Object.keys(tags).length ? { "aws:TagKeys": Object.keys(tags) } : {}) },
          },
          { identity: identityOf(principalRole), resource: trustOf(target) },
        );
      for (const action of ["sts:AssumeRole", "sts:TagSession"]) {
        expect([target, action, await assume(workloadRole, action, { [TENANT_TAG]: TENANT })]).toEqual([target, action, "Allowed"]);
        expect([target, action, "no tag", await assume(workloadRole, action, {})]).toEqual([target, action, "no tag", "ImplicitlyDenied"]);
        expect([target, action, "A/x", await assume(workloadRole, action, { [TENANT_TAG]: `${TENANT}/x` })]).toEqual([target, action, "A/x", "ImplicitlyDenied"]);
        const stranger = Object.values(roles).find((other) => other !== workloadRole)!;
        expect([target, action, stranger, await assume(stranger, action, { [TENANT_TAG]: TENANT })]).toEqual([target, action, stranger, "ImplicitlyDenied"]);
      }
    }
  });

  it("only the API's tenant sessions write manifests, and never through a presigned URL or POST", async () => {
    const api = tenantRole(roles.api);
    const manifest = `${bucket("uploads")}/${MANIFEST_PREFIX}${TENANT}/a1/samples.jsonl`;
    expect(await asTenant(api, TENANT, "s3:PutObject", manifest, { "s3:authType": "REST-HEADER" })).toBe("Allowed");
    for (const authType of ["REST-QUERY-STRING", "POST"]) expect([authType, await asTenant(api, TENANT, "s3:PutObject", manifest, { "s3:authType": authType })]).toEqual([authType, "ExplicitlyDenied"]);
  });

  describe("browser uploads", () => {
    const api = tenantRole(roles.api);
    const file = (tenant: string) => `${bucket("uploads")}/${UPLOADS_PREFIX}${tenant}/a1/sample-1/protein-1.raw`;
    const signedSecondsAgo = (seconds: number) => ({ "s3:signatureAge": String(seconds * 1000) });

    it("go through a presigned POST (whose policy bounds key, size and type) within its age, into the tenant's prefix only", async () => {
      expect(await asTenant(api, TENANT, "s3:PutObject", file(TENANT), { "s3:authType": "POST", ...signedSecondsAgo(60) })).toBe("Allowed");
      expect(await asTenant(api, TENANT, "s3:PutObject", file(OTHER), { "s3:authType": "POST", ...signedSecondsAgo(60) })).toBe("ImplicitlyDenied");
      expect(await asTenant(api, TENANT, "s3:PutObject", file(TENANT), { "s3:authType": "POST", ...signedSecondsAgo(PRESIGNED_MAX_AGE_SECONDS + 1) })).toBe("ExplicitlyDenied");
    });

    it("never through a presigned PUT, which bounds neither size nor type", async () => {
      expect(await asTenant(api, TENANT, "s3:PutObject", file(TENANT), { "s3:authType": "REST-QUERY-STRING", ...signedSecondsAgo(60) })).toBe("ExplicitlyDenied");
    });

    it("are encrypted with the customer objects' key or the default, never with another encryption", async () => {
      const objectsKey = Object.entries(resourcesOf(stacks[`${name}-data`], "aws_kms_key")).find(([, key]) => String(key.description).startsWith("Customer objects"))![0];
      const kms = (key: string) => ({ "s3:authType": "POST", "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": key });
      expect(await asTenant(api, TENANT, "s3:PutObject", file(TENANT), kms(values[`aws_kms_key.${objectsKey}`]))).toBe("Allowed");
      expect(await asTenant(api, TENANT, "s3:PutObject", file(TENANT), kms(`arn:aws:kms:${env.region}:210987654321:key/attacker`))).toBe("ExplicitlyDenied");
      expect(await asTenant(api, TENANT, "s3:PutObject", file(TENANT), { "s3:authType": "POST", "s3:x-amz-server-side-encryption": "AES256" })).toBe("ExplicitlyDenied");
    });

    it("and downloads through presigned URLs expire as quickly", async () => {
      const result = `${bucket("results")}/${ANALYSIS_PREFIX}${TENANT}/a1/report.json`;
      expect(await asTenant(api, TENANT, "s3:GetObject", result, { "s3:authType": "REST-QUERY-STRING", ...signedSecondsAgo(60) })).toBe("Allowed");
      expect(await asTenant(api, TENANT, "s3:GetObject", result, { "s3:authType": "REST-QUERY-STRING", ...signedSecondsAgo(PRESIGNED_MAX_AGE_SECONDS + 1) })).toBe("ExplicitlyDenied");
    });
  });
});
