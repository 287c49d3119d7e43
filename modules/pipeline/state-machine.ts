import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine";
import { Construct } from "constructs";
import { Grantable, IamRole, serviceTrust } from "../iam/iam-role";
import { PolicyStatement } from "../iam/policy-document";
import { LogGroup } from "../logging/log-group";
import { StateMachineDefinition } from "./asl";
import { stateMachineRoleName } from "./pipeline-names";
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

/** Ends of executions an alarm can watch, with the advice its description gives. */
export type ExecutionOutcome = "ExecutionsFailed" | "ExecutionsTimedOut" | "ExecutionThrottled";


export interface StateMachineProps {
  /** Full name, `<project>-<env>-<purpose>`; the role is `<name>-sfn` (IAM's 64 characters). */
  readonly name: string;
  /** What the state machine does (the role's description). */
  readonly description: string;
  readonly accountId: string;
  readonly region: string;
  /** The definition (built and validated as typed ASL). */
  readonly definition: StateMachineDefinition;
  /** Encrypted log group of the executions. */
  readonly logGroup: LogGroup;
  /** Log each state's input and output with its events (never in production: tenants' ids). */
  readonly includeExecutionData: boolean;
}

/**
 * A STANDARD state machine with its own role (trusted by Step Functions for this state machine only), logging ALL
 * events with execution data to an encrypted log group, and X-Ray tracing. What it may call is granted by the
 * resources it calls (`grant*` methods), so the role holds exactly what the definition uses; the state machine is
 * created after every policy of its role (Step Functions checks the log delivery permissions at creation).
 */
export class StateMachine extends Construct implements Grantable {
  /** State machine name and ARN. */
  readonly name: string;
  readonly arn: string;
  /** The role executions run with. */
  readonly role: IamRole;
  private readonly location: { readonly accountId: string; readonly region: string };

  constructor(scope: Construct, id: string, props: StateMachineProps) {
    super(scope, id);
    this.name = props.name;
    this.location = { accountId: props.accountId, region: props.region };
    this.role = new IamRole(this, "role", {
      roleName: stateMachineRoleName(this.name),
      description: props.description,
      trust: [serviceTrust("states.amazonaws.com", props.accountId, this.arnOf())],
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
      loggingConfiguration: { level: "ALL", includeExecutionData: props.includeExecutionData, logDestination: `${props.logGroup.arn}:*` },
      tracingConfiguration: { enabled: true },
    });
    this.role.grantsBefore(machine);
    this.arn = machine.arn;
  }

  addToPolicy(...statements: PolicyStatement[]): void {
    this.role.addToPolicy(...statements);
  }

  /** ARN pattern of this state machine's executions; with `mapRunLabel`, of the child executions of those map runs. */
  executionArnPattern(mapRunLabel?: string): string {
    const { accountId, region } = this.location;
    return `arn:aws:states:${region}:${accountId}:execution:${this.name}${mapRunLabel ? `/${mapRunLabel}` : ""}:*`;
  }

  /**
   * Lets the state machine run its own Distributed Map states labelled `mapRunLabel`: start child executions of
   * itself, follow and stop them (child executions are `execution:<name>/<label>:<id>`).
   */
  grantDistributedMap(mapRunLabel: string): void {
    this.addToPolicy(
      { Sid: "StartMapRunChildren", Effect: "Allow", Action: "states:StartExecution", Resource: this.arnOf() },
      {
        Sid: "FollowMapRunChildren",
        Effect: "Allow",
        Action: ["states:DescribeExecution", "states:StopExecution"],
        Resource: [this.executionArnPattern(), this.executionArnPattern(mapRunLabel)],
      },
    );
  }

  /**
   * Lets `grantee` start executions of this state machine, follow and stop them, and read the map runs and child
   * executions of `mapRunLabels` (which samples failed, and why).
   */
  grantRun(grantee: Grantable, mapRunLabels: readonly string[] = []): void {
    const { accountId, region } = this.location;
    grantee.addToPolicy(
      { Effect: "Allow", Action: "states:StartExecution", Resource: this.arnOf() },
      { Effect: "Allow", Action: ["states:DescribeExecution", "states:StopExecution"], Resource: this.executionArnPattern() },
      ...(mapRunLabels.length
        ? [
            { Effect: "Allow" as const, Action: "states:ListMapRuns", Resource: this.executionArnPattern() },
            {
              Effect: "Allow" as const,
              Action: ["states:DescribeMapRun", "states:ListExecutions"],
              Resource: mapRunLabels.map((label) => `arn:aws:states:${region}:${accountId}:mapRun:${this.name}/${label}:*`),
            },
            { Effect: "Allow" as const, Action: "states:DescribeExecution", Resource: mapRunLabels.map((label) => this.executionArnPattern(label)) },
          ]
        : []),
    );
  }

  /** Lets `grantee` list this state machine's executions (the refresh flow checks it runs alone). */
  grantListExecutions(grantee: Grantable): void {
    grantee.addToPolicy({ Effect: "Allow", Action: "states:ListExecutions", Resource: this.arnOf() });
  }

  /** A CloudWatch metric of the state machine (`AWS/States`). */
  metric(metricName: string, statistic: Metric["statistic"], label?: string): Metric {
    return { namespace: "AWS/States", metricName, dimensions: { StateMachineArn: this.arn }, statistic, label };
  }

  /** Alarms named `<alarmPrefix>-<outcome>` on the given outcomes, each with its advice. */
  addAlarms(destination: AlarmDestination, alarmPrefix: string, threshold: number, outcomes: Partial<Record<ExecutionOutcome, string>>): void {
    const names: Record<ExecutionOutcome, string> = { ExecutionsFailed: "failed", ExecutionsTimedOut: "timed-out", ExecutionThrottled: "throttled" };
    for (const [metricName, advice] of Object.entries(outcomes) as Array<[ExecutionOutcome, string]>) {
      new ThresholdAlarm(this, `${names[metricName]}-alarm`, {
        destination,
        name: `${alarmPrefix}-${names[metricName]}`,
        description: `${this.name}: ${threshold} or more ${metricName} in 5 minutes. ${advice}`,
        metric: this.metric(metricName, "Sum"),
        comparison: "GreaterThanOrEqualToThreshold",
        threshold,
      });
    }
  }

  /** The ARN as a string known at synth (IAM statements of this role cannot reference the resource itself). */
  private arnOf(): string {
    const { accountId, region } = this.location;
    return `arn:aws:states:${region}:${accountId}:stateMachine:${this.name}`;
  }
}
