import { TerraformStack, Testing } from "cdktf";
import { IamRole, serviceTrust } from "../../modules/iam/iam-role";
import { EncryptionKey } from "../../modules/kms/kms-key";
import { SecureBucket } from "../../modules/storage/secure-bucket";
import { StackJson, onlyResource } from "../helpers/synth";

/** A bucket and a role in a fresh stack; `grant` wires them; returns the role's policy statements. */
function statementsAfter(grant: (bucket: SecureBucket, role: IamRole) => void, encrypted = true): StackJson[] {
  const stack = new TerraformStack(Testing.app(), "grants");
  const key = new EncryptionKey(stack, "key", {
    namePrefix: "p-dev",
    purpose: "data",
    description: "test",
    accountId: "111122223333",
    region: "sa-east-1",
    viaServices: ["s3"],
  });
  const bucket = new SecureBucket(stack, "bucket", { bucketName: "p-dev-uploads", encryption: encrypted ? key : "S3_MANAGED" });
  const role = new IamRole(stack, "role", { roleName: "p-dev-api", description: "test", trust: [serviceTrust("pods.eks.amazonaws.com")] });
  grant(bucket, role);
  const json = JSON.parse(Testing.synth(stack));
  return JSON.parse(onlyResource(json, "aws_iam_role_policy").policy).Statement;
}

describe("SecureBucket grants", () => {
  it("grantRead lists and reads one prefix, and decrypts", () => {
    const statements = statementsAfter((bucket, role) => bucket.grantRead(role, "tenant-a/"));
    expect(statements).toEqual([
      { Effect: "Allow", Action: "s3:ListBucket", Resource: expect.stringMatching(/^\$\{aws_s3_bucket\.bucket_.+\.arn}$/), Condition: { StringLike: { "s3:prefix": "tenant-a/*" } } },
      { Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: expect.stringMatching(/\.arn}\/tenant-a\/\*$/) },
      { Effect: "Allow", Action: ["kms:Decrypt"], Resource: expect.stringMatching(/^\$\{aws_kms_key\.key_.+\.arn}$/) },
    ]);
  });

  it("grantPut writes (multipart included) and may generate data keys, but cannot read or delete", () => {
    const statements = statementsAfter((bucket, role) => bucket.grantPut(role));
    expect(statements.flatMap((statement) => [statement.Action].flat())).toEqual([
      "s3:PutObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
      "kms:Decrypt",
      "kms:GenerateDataKey",
    ]);
    expect(statements[0].Resource).toMatch(/\.arn}\/\*$/);
  });

  it("grantReadWrite adds delete to read and put", () => {
    const actions = statementsAfter((bucket, role) => bucket.grantReadWrite(role, "work/")).flatMap((statement) => [statement.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"]));
    expect(actions).not.toContain("s3:DeleteBucket");
  });

  it("grants no key permission for an SSE-S3 bucket", () => {
    const actions = statementsAfter((bucket, role) => bucket.grantRead(role), false).flatMap((statement) => [statement.Action].flat());
    expect(actions.some((action) => action.startsWith("kms:"))).toBe(false);
  });

  it("keeps one policy per role however many grants it gets", () => {
    expect(
      statementsAfter((bucket, role) => {
        bucket.grantRead(role, "a/");
        bucket.grantPut(role, "b/");
      }).length,
    ).toBe(5);
  });
});
