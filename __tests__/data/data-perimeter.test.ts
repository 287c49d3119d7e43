import { CUSTOMER_KEY_USAGE_ACTIONS, CUSTOMER_LISTING_ACTIONS, CUSTOMER_OBJECT_ACTIONS, DATA_PERIMETER_SID } from "../../modules/storage/data-perimeter";
import { customerDataRoleArns, identityRoleArn } from "../../stacks/naming";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { PolicyJson, decision, expressionValues, withValues } from "../helpers/iam-simulation";
import { StackJson, referenceTo as ref, resolveCrossStack, resourcesOf, synthesizedStacks } from "../helpers/synth";

// The data perimeter: the customer data buckets and their key refuse every principal of the account but the named
// roles, whatever IAM grants. Evaluated with the IAM simulator on the synthesized bucket and key policies.

const PURPOSES = ["uploads", "work", "results"] as const;
const anything: PolicyJson = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:*", "kms:*"], Resource: "*" }] };

describe.each(ENVIRONMENT_NAMES)("%s data perimeter", (name) => {
  const env = environment(name);
  const stacks = synthesizedStacks(name);
  const data = stacks[`${name}-data`];
  const values = expressionValues(stacks, env.awsAccountId, env.region);
  const bucketName = (purpose: string) => `proteomics-${name}-${purpose}-${env.awsAccountId}`;
  const bucketPolicy = (purpose: string): PolicyJson => {
    const [id] = Object.entries(resourcesOf(data, "aws_s3_bucket")).find(([, bucket]) => bucket.bucket === bucketName(purpose))!;
    const policy = Object.values(resourcesOf(data, "aws_s3_bucket_policy")).find((candidate) => String(candidate.bucket).startsWith(ref("aws_s3_bucket", id)))!;
    return withValues(policy.policy, values);
  };
  const [objectsKeyId, objectsKey] = Object.entries(resourcesOf(data, "aws_kms_key")).find(([, key]) => String(key.description).startsWith("Customer objects"))!;
  const keyArn = values[`aws_kms_key.${objectsKeyId}`];
  const role = (roleName: string) => `arn:aws:iam::${env.awsAccountId}:role/${roleName}`;
  const perimeter = customerDataRoleArns(env);

  /** A request by a session of `roleArn`, whose own IAM policy allows everything: only the resource policy can refuse it. */
  const request = (roleArn: string, action: string, resource: string, policy: PolicyJson, context: Record<string, string> = {}) =>
    decision(
      {
        principal: roleArn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/") + "/session",
        action,
        resource,
        resourceAccount: env.awsAccountId,
        context: { "aws:PrincipalArn": roleArn, ...context },
      },
      { identity: [anything], resource: policy },
    );
  const object = (purpose: string) => `arn:aws:s3:::${bucketName(purpose)}/uploads/acmelab01/a1/sample-1/protein-1.raw`;

  it("tags the customer data buckets, encrypts them with the customer objects' key, and names the same roles in every perimeter", () => {
    for (const purpose of PURPOSES) {
      const bucket = Object.values(resourcesOf(data, "aws_s3_bucket")).find((candidate) => candidate.bucket === bucketName(purpose))!;
      expect([purpose, bucket.tags]).toEqual([purpose, { DataClass: "customer" }]);
      const [bucketId] = Object.entries(resourcesOf(data, "aws_s3_bucket")).find(([, candidate]) => candidate.bucket === bucketName(purpose))!;
      const encryption = Object.values(resourcesOf(data, "aws_s3_bucket_server_side_encryption_configuration")).find((config) => String(config.bucket).startsWith(ref("aws_s3_bucket", bucketId)))!;
      expect([purpose, [encryption.rule].flat()[0].apply_server_side_encryption_by_default.kms_master_key_id]).toEqual([purpose, `${ref("aws_kms_key", objectsKeyId)}arn}`]);
      const statement = bucketPolicy(purpose).Statement.find((candidate) => candidate.Sid === DATA_PERIMETER_SID);
      expect([purpose, statement.Condition.ArnNotLike["aws:PrincipalArn"]]).toEqual([purpose, perimeter]);
    }
    const keyStatement = JSON.parse(objectsKey.policy).Statement.find((candidate: StackJson) => candidate.Sid === DATA_PERIMETER_SID);
    expect(keyStatement.Condition.ArnNotLike["aws:PrincipalArn"]).toEqual(perimeter);
  });

  it("refuses an account administrator, and the deploy role, every object action on every customer data bucket", async () => {
    for (const roleArn of [identityRoleArn(env, "platformAdmin"), identityRoleArn(env, "deploy"), role(`proteomics-${name}-eks-frontend`)]) {
      for (const purpose of PURPOSES) {
        for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectVersion"]) {
          expect([roleArn, purpose, action, await request(roleArn, action, object(purpose), bucketPolicy(purpose))]).toEqual([roleArn, purpose, action, "ExplicitlyDenied"]);
        }
      }
    }
  });

  it("lets the plan and deploy roles list the buckets (Terraform's HeadBucket) and nobody else outside the perimeter", async () => {
    for (const purpose of PURPOSES) {
      const bucketArn = `arn:aws:s3:::${bucketName(purpose)}`;
      for (const lister of [identityRoleArn(env, "plan"), identityRoleArn(env, "deploy")]) expect(await request(lister, "s3:ListBucket", bucketArn, bucketPolicy(purpose))).toBe("Allowed");
      expect(await request(identityRoleArn(env, "platformAdmin"), "s3:ListBucket", bucketArn, bucketPolicy(purpose))).toBe("ExplicitlyDenied");
    }
  });

  it("lets every role of the perimeter, break-glass included, past the bucket policies (their IAM policies then decide)", async () => {
    for (const roleArn of perimeter) {
      for (const purpose of PURPOSES) expect([roleArn, purpose, await request(roleArn, "s3:GetObject", object(purpose), bucketPolicy(purpose))]).toEqual([roleArn, purpose, "Allowed"]);
    }
  });

  it("refuses the customer objects' key to every principal outside the perimeter, even through S3", async () => {
    const keyPolicy = withValues(objectsKey.policy, values);
    const throughS3 = { "kms:ViaService": `s3.${env.region}.amazonaws.com`, "kms:CallerAccount": env.awsAccountId };
    for (const action of CUSTOMER_KEY_USAGE_ACTIONS) {
      expect([action, await request(identityRoleArn(env, "platformAdmin"), action, keyArn, keyPolicy, throughS3)]).toEqual([action, "ExplicitlyDenied"]);
    }
    for (const roleArn of perimeter) expect([roleArn, await request(roleArn, "kms:Decrypt", keyArn, keyPolicy, throughS3)]).toEqual([roleArn, "Allowed"]);
  });

  it("names every role that any stack grants customer objects or their key (a new reader must join the perimeter)", () => {
    const dataResources = [...PURPOSES.map((purpose) => `arn:aws:s3:::${bucketName(purpose)}`), keyArn];
    const touched = new Set<string>();
    for (const stack of Object.values(stacks)) {
      for (const policy of Object.values(resourcesOf(stack, "aws_iam_role_policy"))) {
        const document = withValues(resolveCrossStack(stacks, policy.policy), values);
        const roleRef = resolveCrossStack(stacks, policy.role).match(/^\$\{aws_iam_role\.([^.]+)\.name}$/)?.[1];
        const grants = document.Statement.some(
          (statement) =>
            statement.Effect === "Allow" &&
            [statement.Action].flat().some((action: string) => [...CUSTOMER_OBJECT_ACTIONS, ...CUSTOMER_LISTING_ACTIONS, ...CUSTOMER_KEY_USAGE_ACTIONS].includes(action as never)) &&
            [statement.Resource].flat().some((resource: string) => dataResources.some((arn) => resource === arn || resource.startsWith(`${arn}/`))),
        );
        if (grants && roleRef) touched.add(values[`aws_iam_role.${roleRef}`]);
      }
    }
    expect(touched.size).toBeGreaterThan(0);
    expect([...touched].filter((roleArn) => !perimeter.includes(roleArn))).toEqual([]);
    // And the perimeter names no role that does not exist (break-glass lives in the identity stack).
    const roleArns = new Set(Object.keys(values).filter((key) => key.startsWith("aws_iam_role.")).map((key) => values[key]));
    expect(perimeter.filter((roleArn) => !roleArns.has(roleArn))).toEqual([]);
  });
});
