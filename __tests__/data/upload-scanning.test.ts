import { CLEAN_SCAN_STATUS, SCAN_STATUS_TAG } from "../../modules/data/upload-scanning";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { UPLOADS_PREFIX } from "../../modules/pipeline/analysis-contract";
import { TENANT_TAG } from "../../modules/tenancy/tenant-session";
import { decision, expressionValues, withValues } from "../helpers/iam-simulation";
import { StackJson, bucketId, onlyResource, referenceTo as ref, resolveCrossStack, resourcesOf, synthesizedStacks } from "../helpers/synth";

// Uploads are quarantined: GuardDuty Malware Protection for S3 scans and tags every new object, the identify job reads
// only objects tagged clean, and an infected one raises an alert.

describe.each(ENVIRONMENT_NAMES)("%s upload scanning", (name) => {
  const env = environment(name);
  const stacks = synthesizedStacks(name);
  const data = stacks[`${name}-data`];
  const pipeline = stacks[`${name}-pipeline`];
  const uploads = `proteomics-${name}-uploads-${env.awsAccountId}`;

  it("scans every new object of the uploads bucket and tags it with the result, with a role made for it", () => {
    const plan = onlyResource(data, "aws_guardduty_malware_protection_plan");
    expect(plan.protected_resource).toEqual([{ s3_bucket: [{ bucket_name: `${ref("aws_s3_bucket", bucketId(data, uploads))}bucket}` }] }]);
    expect(plan.actions).toEqual([{ tagging: [{ status: "ENABLED" }] }]);
    const [roleId, role] = Object.entries(resourcesOf(data, "aws_iam_role")).find(([, candidate]) => candidate.name === `proteomics-${name}-uploads-malware-scan`)!;
    expect(plan.role).toBe(`${ref("aws_iam_role", roleId)}arn}`);
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "malware-protection-plan.guardduty.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": env.awsAccountId },
          ArnLike: { "aws:SourceArn": `arn:aws:guardduty:${env.region}:${env.awsAccountId}:malware-protection-plan/*` },
        },
      },
    ]);
    // GuardDuty checks the role when it creates the plan: its policy exists first.
    const policyId = Object.entries(resourcesOf(data, "aws_iam_role_policy")).find(([, policy]) => policy.role === `${ref("aws_iam_role", roleId)}name}`)![0];
    expect(plan.depends_on).toContain(`aws_iam_role_policy.${policyId}`);
  });

  it("alerts on an infected upload, and on a failed delivery of that alert", () => {
    const rule = Object.values(resourcesOf(data, "aws_cloudwatch_event_rule")).find((candidate) => candidate.name === `proteomics-${name}-upload-infected`)!;
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ["aws.guardduty"],
      "detail-type": ["GuardDuty Malware Protection Object Scan Result"],
      detail: { s3ObjectDetails: { bucketName: [`${ref("aws_s3_bucket", bucketId(data, uploads))}bucket}`] }, scanResultDetails: { scanResultStatus: ["THREATS_FOUND"] } },
    });
    const alarms = Object.values(resourcesOf(data, "aws_cloudwatch_metric_alarm")).map((alarm: StackJson) => alarm.alarm_name);
    expect(alarms).toContain(`proteomics-${name}-upload-infected-delivery`);
  });

  describe("the identify job reads only uploads found clean (evaluated by the IAM simulator)", () => {
    // The job reads customer data through its tenant session (modules/tenancy): that role holds the grant.
    const identify = Object.entries(resourcesOf(pipeline, "aws_iam_role")).find(([, role]) => role.name === `proteomics-${name}-identify-tenant`);
    const policy = () => {
      const [roleId] = identify!;
      const inline = Object.values(resourcesOf(pipeline, "aws_iam_role_policy")).find((candidate) => candidate.role === `${ref("aws_iam_role", roleId)}name}`)!;
      return withValues(resolveCrossStack(stacks, inline.policy), expressionValues(stacks, env.awsAccountId, env.region));
    };
    const read = (tag: string | undefined) =>
      decision(
        {
          principal: `arn:aws:sts::${env.awsAccountId}:assumed-role/proteomics-${name}-identify-tenant/acmelab01`,
          action: "s3:GetObject",
          resource: `arn:aws:s3:::${uploads}/${UPLOADS_PREFIX}acmelab01/a1/sample-1/protein-1.raw`,
          resourceAccount: env.awsAccountId,
          context: { [`aws:PrincipalTag/${TENANT_TAG}`]: "acmelab01", ...(tag === undefined ? {} : { [`s3:ExistingObjectTag/${SCAN_STATUS_TAG}`]: tag }) },
        },
        { identity: [policy()] },
      );

    it("finds the job's role", () => {
      expect(identify).toBeDefined();
    });

    it("allows a file tagged clean, and refuses an infected, failed or unscanned one", async () => {
      expect(await read(CLEAN_SCAN_STATUS)).toBe("Allowed");
      for (const status of ["THREATS_FOUND", "UNSUPPORTED", "ACCESS_DENIED", "FAILED"]) expect([status, await read(status)]).toEqual([status, "ImplicitlyDenied"]);
      expect(await read(undefined)).toBe("ImplicitlyDenied");
    });
  });
});
