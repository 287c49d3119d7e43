import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { App } from "cdktf";
import { ENVIRONMENT_INPUTS, loadEnvironments } from "../../environments";
import { CUSTOMER_DATA_CLASS, DATA_CLASS_TAG } from "../../modules/storage/data-perimeter";
import { CONFIG_RULES } from "../../modules/security/config-recorder";
import { GUARDDUTY_FEATURES } from "../../modules/security/threat-detection";
import { foundationalBestPracticesArn } from "../../modules/security/security-hub";
import { trailSignals } from "../../modules/security/security-alarms";
import { createEnvironmentStacks, loadStackDependencies } from "../../stacks";
import { identityRoleArn } from "../../stacks/naming";
import { ENVIRONMENTS, TOOLING } from "../helpers/environments";
import { decision, withValues } from "../helpers/iam-simulation";
import { StackJson, onlyResource, referenceTo as ref, resourcesOf, synthApp, synthesizedStacks } from "../helpers/synth";

// The account's detection baseline (issue 21): one `<env>-security` stack per environment, the tooling account's
// included, with the trail, GuardDuty, Security Hub, AWS Config, Access Analyzer and the security alarms.

const ALL = [...ENVIRONMENTS, TOOLING];

describe.each(ALL.map((env) => [env.name, env] as const))("%s-security", (name, env) => {
  const stacks = synthesizedStacks(name);
  const stack = stacks[`${name}-security`];
  const prefix = `${env.project}-${name}`;
  const bucketNamed = (bucketName: string) => Object.entries(resourcesOf(stack, "aws_s3_bucket")).find(([, bucket]) => bucket.bucket === bucketName);
  const auditBucket = `${prefix}-audit-logs-${env.awsAccountId}`;
  const trailArn = `arn:aws:cloudtrail:${env.region}:${env.awsAccountId}:trail/${prefix}-audit`;

  it("exists, and comes before every stack that holds data (Atlantis applies the data stack after it)", () => {
    expect(stack).toBeDefined();
    if (env.kind === "workload") {
      const projects: StackJson[] = parse(fs.readFileSync(path.join(__dirname, "..", "..", "atlantis.yaml"), "utf8")).projects;
      expect(projects.find((project) => project.name === `${name}-data`)!.depends_on).toContain(`${name}-security`);
    }
  });

  it("records every region's management events and the object calls of the customer data and state buckets, validated and encrypted", () => {
    const trail = onlyResource(stack, "aws_cloudtrail");
    expect(trail).toMatchObject({ name: `${prefix}-audit`, is_multi_region_trail: true, include_global_service_events: true, enable_log_file_validation: true, enable_logging: true });
    const [management, data] = trail.advanced_event_selector;
    expect(management.field_selector).toEqual([{ field: "eventCategory", equals: ["Management"] }]);
    const customerBuckets = Object.values(stacks)
      .flatMap((json) => Object.values(resourcesOf(json, "aws_s3_bucket")))
      .filter((bucket) => bucket.tags?.[DATA_CLASS_TAG] === CUSTOMER_DATA_CLASS)
      .map((bucket) => bucket.bucket as string);
    expect(customerBuckets).toHaveLength(env.kind === "workload" ? 3 : 0);
    const arns = data.field_selector.find((selector: StackJson) => selector.field === "resources.ARN").starts_with;
    expect([...arns].sort()).toEqual([...customerBuckets, env.state.bucketName].map((bucket) => `arn:aws:s3:::${bucket}/`).sort());
    // CloudTrail checks the bucket policy and the delivery role when it creates the trail.
    expect(trail.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_s3_bucket_policy\.audit-logs_policy/), expect.stringMatching(/^aws_iam_role_policy\.trail_logs-role/)]));
  });

  it(`locks the audit logs ${env.security.auditLogObjectLock ? "(compliance mode)" : "only where the environment asks"} and keeps them ${env.security.auditLogRetentionDays} days`, () => {
    const [bucketId, bucket] = bucketNamed(auditBucket)!;
    const locks = Object.values(resourcesOf(stack, "aws_s3_bucket_object_lock_configuration")).filter((lock) => String(lock.bucket).startsWith(ref("aws_s3_bucket", bucketId)));
    if (env.security.auditLogObjectLock) {
      expect(bucket.object_lock_enabled).toBe(true);
      expect(locks.map((lock) => lock.rule)).toEqual([{ default_retention: { mode: "COMPLIANCE", days: env.security.auditLogRetentionDays } }]);
    } else {
      expect(locks).toEqual([]);
    }
    const group = Object.values(resourcesOf(stack, "aws_cloudwatch_log_group")).find((candidate) => candidate.name === `/${prefix}/security/cloudtrail`)!;
    expect(group).toMatchObject({ retention_in_days: env.security.auditLogRetentionDays, deletion_protection_enabled: env.protection.deletionProtection, tags: { LogClass: "audit" } });
    // AWS Config cannot deliver to an Object Lock bucket: its history has its own.
    expect(bucketNamed(`${prefix}-config-history-${env.awsAccountId}`)?.[1].object_lock_enabled).toBeUndefined();
  });

  it("lets only this trail write to the audit bucket and use its key (evaluated by the IAM simulator)", async () => {
    const [bucketId] = bucketNamed(auditBucket)!;
    const policy = Object.values(resourcesOf(stack, "aws_s3_bucket_policy")).find((candidate) => String(candidate.bucket).startsWith(ref("aws_s3_bucket", bucketId)))!;
    const resolved = withValues(policy.policy, { [`aws_s3_bucket.${bucketId}`]: `arn:aws:s3:::${auditBucket}` });
    const write = (sourceArn: string) =>
      decision(
        {
          principal: "cloudtrail.amazonaws.com",
          action: "s3:PutObject",
          resource: `arn:aws:s3:::${auditBucket}/cloudtrail/AWSLogs/${env.awsAccountId}/CloudTrail/${env.region}/2026/11/29/log.json.gz`,
          resourceAccount: env.awsAccountId,
          context: { "aws:SourceArn": sourceArn, "aws:SourceAccount": env.awsAccountId, "s3:x-amz-acl": "bucket-owner-full-control" },
        },
        { resource: resolved },
      );
    expect(await write(trailArn)).toBe("Allowed");
    expect(await write(`arn:aws:cloudtrail:${env.region}:210987654321:trail/someone-elses`)).toBe("ImplicitlyDenied");
  });

  it("turns on GuardDuty with the protections that matter here, and exports its findings to the audit bucket", () => {
    const detector = onlyResource(stack, "aws_guardduty_detector");
    expect(detector).toMatchObject({ enable: true, finding_publishing_frequency: "FIFTEEN_MINUTES" });
    const features = Object.values(resourcesOf(stack, "aws_guardduty_detector_feature"));
    expect(features.map((feature) => [feature.name, feature.status, (feature.additional_configuration ?? []).map((extra: StackJson) => extra.name)]).sort()).toEqual(
      GUARDDUTY_FEATURES.map((feature) => [feature.name, "ENABLED", [...(feature.additional ?? [])]]).sort(),
    );
    expect(features.map((feature) => feature.name)).toEqual(expect.arrayContaining(["S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "RUNTIME_MONITORING", "RDS_LOGIN_EVENTS"]));
    const destination = onlyResource(stack, "aws_guardduty_publishing_destination");
    expect(destination.destination_arn).toMatch(/audit-logs_bucket.+\.arn}\/guardduty$/);
    expect(destination.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\.audit-logs_policy/)]);
  });

  it("subscribes Security Hub to the Foundational Security Best Practices only, records every resource with AWS Config, and runs its rules after it records", () => {
    expect(onlyResource(stack, "aws_securityhub_account")).toMatchObject({ enable_default_standards: false, control_finding_generator: "SECURITY_CONTROL" });
    expect(onlyResource(stack, "aws_securityhub_standards_subscription").standards_arn).toBe(foundationalBestPracticesArn(env.region));
    expect(onlyResource(stack, "aws_config_configuration_recorder").recording_group).toEqual({ all_supported: true, include_global_resource_types: true });
    const [statusId] = Object.keys(resourcesOf(stack, "aws_config_configuration_recorder_status"));
    const rules = Object.values(resourcesOf(stack, "aws_config_config_rule"));
    expect(rules.map((rule) => rule.source.source_identifier).sort()).toEqual(CONFIG_RULES.map((rule) => rule.identifier).sort());
    for (const rule of rules) expect(rule.depends_on).toEqual([`aws_config_configuration_recorder_status.${statusId}`]);
  });

  it("analyses external and unused access with IAM Access Analyzer", () => {
    expect(Object.values(resourcesOf(stack, "aws_accessanalyzer_analyzer")).map((analyzer) => analyzer.type).sort()).toEqual(["ACCOUNT", "ACCOUNT_UNUSED_ACCESS"]);
  });

  it("alarms on every trail signal, with changes by the deploy role excluded where it is the legitimate author", () => {
    const filters = Object.values(resourcesOf(stack, "aws_cloudwatch_log_metric_filter"));
    const signals = trailSignals({ deployRoleArn: identityRoleArn(env, "deploy"), protectedBuckets: [] });
    expect(filters.map((filter) => filter.name).sort()).toEqual(signals.map((signal) => `${prefix}-${signal.id}`).sort());
    const iam = filters.find((filter) => filter.name === `${prefix}-iam-change-outside-deploy`)!;
    expect(iam.pattern).toContain(`$.userIdentity.sessionContext.sessionIssuer.arn != "${identityRoleArn(env, "deploy")}"`);
    const buckets = filters.find((filter) => filter.name === `${prefix}-protected-bucket-policy-change`)!;
    expect(buckets.pattern).toContain(`$.requestParameters.bucketName = "${env.state.bucketName}"`);
    const alarms = Object.values(resourcesOf(stack, "aws_cloudwatch_metric_alarm")).map((alarm) => alarm.alarm_name as string);
    for (const signal of signals) expect(alarms).toContain(`${prefix}-security-${signal.id}`);
  });

  it(`sends GuardDuty findings of severity ${env.security.findingSeverity} or more and Security Hub's critical findings to the alerts topic`, () => {
    const rules = Object.fromEntries(Object.values(resourcesOf(stack, "aws_cloudwatch_event_rule")).map((rule) => [rule.name, JSON.parse(rule.event_pattern)]));
    expect(rules[`${prefix}-guardduty-finding`]).toEqual({ source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"], detail: { severity: [{ numeric: [">=", env.security.findingSeverity] }] } });
    expect(rules[`${prefix}-security-hub-critical`].detail.findings.Severity).toEqual({ Label: ["CRITICAL"] });
  });
});

describe("a security stack where the organization runs the services", () => {
  it("creates none of them, and keeps the finding alerts", async () => {
    const [input] = ENVIRONMENT_INPUTS;
    const managed = { trail: true, guardDuty: true, securityHub: true, config: true, accessAnalyzer: true };
    const loaded = loadEnvironments(ENVIRONMENT_INPUTS.map((candidate) => (candidate === input ? { ...(candidate as object), security: { organizationManaged: managed } } : candidate)));
    const env = loaded.workloads[0];
    const app = new App({ outdir: `${process.env.PROTEOMICS_SYNTH_DIR}-managed`, skipValidation: true });
    createEnvironmentStacks(app, env, await loadStackDependencies());
    const stack = synthApp(app)[`${env.name}-security`];
    for (const type of ["aws_cloudtrail", "aws_guardduty_detector", "aws_securityhub_account", "aws_config_configuration_recorder", "aws_accessanalyzer_analyzer"]) {
      expect([type, Object.keys(resourcesOf(stack, type))]).toEqual([type, []]);
    }
    expect(Object.values(resourcesOf(stack, "aws_cloudwatch_event_rule")).map((rule) => rule.name).sort()).toEqual([`${env.project}-${env.name}-guardduty-finding`, `${env.project}-${env.name}-security-hub-critical`]);
  });
});
