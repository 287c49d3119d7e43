import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine";
import { Construct } from "constructs";
import { Grantable, IamRole } from "../iam/iam-role";
import { PolicyStatement } from "../iam/policy-document";
import { LogGroup } from "../logging/log-group";
import { StateMachineDefinition } from "./asl";
import { Metric } from "../observability/metric";
import { AlarmDestination, ThresholdAlarm } from "../observability/threshold-alarm";

/** Actions Step Functions needs to deliver execution logs to CloudWatch Logs (they support no resource scoping). */
const LOG_DELIVERY_ACTIONS = [
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
  "logs:DescribeLogGroups",
];

export interface AnalysisStateMachineProps {
  /** Resource name prefix, `<project>-<env>`; the state machine is `<prefix>-analysis`. */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly region: string;
  /** The definition (built and validated as typed ASL). */
  readonly definition: StateMachineDefinition;
  /** Encrypted log group of the executions. */
  readonly logGroup: LogGroup;
}

/**
 * A STANDARD state machine with its own role (trusted by Step Functions for this state machine only), logging ALL
 * events with execution data to an encrypted log group, and X-Ray tracing. What it may call is granted by the
 * resources it calls (`grant*` methods), so the role holds exactly what the definition uses.
 */
export class AnalysisStateMachine extends Construct implements Grantable {
  /** State machine name and ARN. */
  readonly name: string;
  readonly arn: string;
  /** The role executions run with. */
  readonly role: IamRole;
  private readonly executionArnPattern: string;

  constructor(scope: Construct, id: string, props: AnalysisStateMachineProps) {
    super(scope, id);
    this.name = `${props.namePrefix}-analysis`;
    const arn = `arn:aws:states:${props.region}:${props.accountId}:stateMachine:${this.name}`;
    this.executionArnPattern = `arn:aws:states:${props.region}:${props.accountId}:execution:${this.name}:*`;
    this.role = new IamRole(this, "role", {
      roleName: `${this.name}-state-machine`,
      description: "Analysis state machine: submits the Batch jobs, refreshes the dashboard, announces the outcome",
      trust: [
        {
          Effect: "Allow",
          Principal: { Service: "states.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": props.accountId }, ArnLike: { "aws:SourceArn": arn } },
        },
      ],
      statements: [
        { Sid: "DeliverExecutionLogs", Effect: "Allow", Action: LOG_DELIVERY_ACTIONS, Resource: "*" },
        {
          Sid: "Tracing",
          Effect: "Allow",
          Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
          Resource: "*",
        },
      ],
    });
    const machine = new SfnStateMachine(this, "state-machine", {
      name: this.name,
      type: "STANDARD",
      roleArn: this.role.arn,
      definition: JSON.stringify(props.definition),
      loggingConfiguration: { level: "ALL", includeExecutionData: true, logDestination: `${props.logGroup.arn}:*` },
      tracingConfiguration: { enabled: true },
    });
    this.arn = machine.arn;
  }

  addToPolicy(...statements: PolicyStatement[]): void {
    this.role.addToPolicy(...statements);
  }

  /** Lets `grantee` start executions of this state machine, follow them and stop them. */
  grantRun(grantee: Grantable): void {
    grantee.addToPolicy(
      { Effect: "Allow", Action: "states:StartExecution", Resource: this.arn },
      { Effect: "Allow", Action: ["states:DescribeExecution", "states:StopExecution"], Resource: this.executionArnPattern },
    );
  }

  /** A CloudWatch metric of the state machine (`AWS/States`). */
  metric(metricName: string, statistic: Metric["statistic"], label?: string): Metric {
    return { namespace: "AWS/States", metricName, dimensions: { StateMachineArn: this.arn }, statistic, label };
  }

  /** Alarms on the analyses: executions that failed, timed out, or were throttled (Step Functions refused work). */
  addAlarms(destination: AlarmDestination, thresholds: { readonly failedExecutions: number }): void {
    const outcomes = [
      ["ExecutionsFailed", "failed", "Read the failed executions' causes (aws stepfunctions list-executions --status-filter FAILED); the AnalysisFailed events carry them too."],
      ["ExecutionsTimedOut", "timed-out", "An analysis ran past 24 hours: Batch capacity is short or a job is stuck; check the queues' RUNNABLE jobs."],
      ["ExecutionThrottled", "throttled", "Step Functions throttled state transitions or retries: too many analyses at once for the account's quotas; request an increase."],
    ] as const;
    for (const [metricName, outcome, advice] of outcomes) {
      new ThresholdAlarm(this, `${outcome}-alarm`, {
        destination,
        name: `analyses-${outcome}`,
        description: `${this.name}: ${thresholds.failedExecutions} or more ${metricName} in 5 minutes. ${advice}`,
        metric: this.metric(metricName, "Sum"),
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: thresholds.failedExecutions,
      });
    }
  }
}
