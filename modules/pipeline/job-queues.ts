import { BatchJobQueue } from "@cdktf/provider-aws/lib/batch-job-queue";
import { BatchSchedulingPolicy } from "@cdktf/provider-aws/lib/batch-scheduling-policy";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Construct } from "constructs";
import { Grantable } from "../iam/iam-role";
import { Metric } from "../observability/metric";
import { RuleDeliveryAlarm } from "../observability/rule-delivery-alarm";
import { AlarmDestination } from "../observability/threshold-alarm";

/** Reasons a job can stay RUNNABLE forever; each is cancelled after the configured time. */
export const STUCK_RUNNABLE_REASONS = [
  "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY",
  "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE",
  "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT",
] as const;

export interface JobQueuesProps {
  /** Resource name prefix, `<project>-<env>`. */
  readonly namePrefix: string;
  /** The Spot and on-demand compute environments. */
  readonly spotArn: string;
  readonly onDemandArn: string;
  /** Seconds of past usage counted against a tenant's share. */
  readonly shareDecaySeconds: number;
  /** Percentage of capacity kept for tenants without recent usage. */
  readonly computeReservation: number;
  /** Seconds a job may stay RUNNABLE for one of {@link STUCK_RUNNABLE_REASONS} before it is cancelled. */
  readonly runnableTimeoutSeconds: number;
  /** Account and region (ARNs of jobs and of Step Functions' managed rule). */
  readonly accountId: string;
  readonly region: string;
}

/**
 * The analysis queues, both scheduled fair-share between tenants (jobs are submitted with the tenant as share
 * identifier, so one tenant's large batch cannot starve the others):
 * - `interactive` (priority 100): short, latency-sensitive jobs (aggregation, publishing); on-demand first, then Spot;
 * - `bulk` (priority 10): the per-protein identification array jobs; Spot first, on-demand when Spot is scarce.
 */
export class JobQueues extends Construct {
  /** ARN of the `interactive` queue. */
  readonly interactiveArn: string;
  /** ARN of the `bulk` queue. */
  readonly bulkArn: string;
  /** Queue names, interactive first. */
  readonly names: readonly string[];
  private readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: JobQueuesProps) {
    super(scope, id);
    const policy = new BatchSchedulingPolicy(this, "fair-share", {
      name: `${props.namePrefix}-tenant-fair-share`,
      fairSharePolicy: { shareDecaySeconds: props.shareDecaySeconds, computeReservation: props.computeReservation },
    });
    const queue = (name: string, priority: number, order: readonly string[]) =>
      new BatchJobQueue(this, name, {
        name: `${props.namePrefix}-${name}`,
        state: "ENABLED",
        priority,
        schedulingPolicyArn: policy.arn,
        computeEnvironmentOrder: order.map((computeEnvironment, index) => ({ order: index + 1, computeEnvironment })),
        jobStateTimeLimitAction: STUCK_RUNNABLE_REASONS.map((reason) => ({
          action: "CANCEL",
          state: "RUNNABLE",
          maxTimeSeconds: props.runnableTimeoutSeconds,
          reason,
        })),
      }).arn;
    this.namePrefix = props.namePrefix;
    this.names = ["interactive", "bulk"].map((name) => `${props.namePrefix}-${name}`);
    this.interactiveArn = queue("interactive", 100, [props.onDemandArn, props.spotArn]);
    this.bulkArn = queue("bulk", 10, [props.spotArn, props.onDemandArn]);
    this.location = { accountId: props.accountId, region: props.region };
  }

  private readonly location: { readonly accountId: string; readonly region: string };

  /**
   * Lets `grantee` (a state machine) submit jobs of `jobDefinitionArnPatterns` to these queues and wait for them
   * (`batch:submitJob.sync`): Step Functions follows the jobs through its managed EventBridge rule and stops them
   * when the execution stops.
   */
  grantSubmitAndWait(grantee: Grantable, jobDefinitionArnPatterns: readonly string[]): void {
    const { accountId, region } = this.location;
    const jobs = `arn:aws:batch:${region}:${accountId}:job/*`;
    grantee.addToPolicy(
      { Sid: "SubmitAnalysisJobs", Effect: "Allow", Action: "batch:SubmitJob", Resource: [this.bulkArn, this.interactiveArn, ...jobDefinitionArnPatterns] },
      { Sid: "TagAndStopAnalysisJobs", Effect: "Allow", Action: ["batch:TagResource", "batch:TerminateJob"], Resource: jobs },
      // DescribeJobs supports no resource-level permissions.
      { Sid: "FollowAnalysisJobs", Effect: "Allow", Action: "batch:DescribeJobs", Resource: "*" },
      {
        Sid: "ManagedRuleForBatchJobs",
        Effect: "Allow",
        Action: ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
        Resource: `arn:aws:events:${region}:${accountId}:rule/StepFunctionsGetEventsForBatchJobsRule`,
      },
    );
  }

  /** A CloudWatch metric of one queue (`AWS/Batch`, published as jobs change state; array children count one each). */
  metric(queueName: string, metricName: string, statistic: Metric["statistic"], label?: string): Metric {
    return { namespace: "AWS/Batch", metricName, dimensions: { JobQueueName: queueName }, statistic, label };
  }

  /**
   * Alerts on failed jobs of these queues: a rule on Batch's job state changes sends one readable message per failed
   * job (an array job once, not once per protein file) to the alerts topic; an alarm tells when that delivery fails.
   */
  addAlarms(destination: AlarmDestination): void {
    const rule = new CloudwatchEventRule(this, "failed-jobs-rule", {
      name: `${this.namePrefix}-batch-job-failed`,
      description: "Failed (or cancelled) analysis jobs, to the alerts topic",
      eventPattern: JSON.stringify({
        source: ["aws.batch"],
        "detail-type": ["Batch Job State Change"],
        detail: { status: ["FAILED"], jobQueue: [this.interactiveArn, this.bulkArn], arrayProperties: { index: [{ exists: false }] } },
      }),
    });
    new CloudwatchEventTarget(this, "failed-jobs-alert", {
      rule: rule.name,
      targetId: "AlertsTopic",
      arn: destination.topicArn,
      inputTransformer: {
        inputPaths: { job: "$.detail.jobName", id: "$.detail.jobId", queue: "$.detail.jobQueue", reason: "$.detail.statusReason" },
        inputTemplate: '"Batch job <job> (<id>) failed on <queue>: <reason>. Logs: aws batch describe-jobs --jobs <id>"',
      },
    });
    new RuleDeliveryAlarm(this, "failed-jobs-delivery-alarm", {
      destination,
      name: "batch-job-failed-delivery",
      description: "The failed-job rule could not deliver to the alerts topic: job failures go unreported. Check the topic's policy and key policy.",
      ruleName: rule.name,
    });
  }
}
