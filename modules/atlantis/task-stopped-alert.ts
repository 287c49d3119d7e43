import { Construct } from "constructs";
import { AlertRule } from "../observability/alert-rule";
import { AlarmDestination } from "../observability/threshold-alarm";

/** Source and detail type of the events ECS puts on the default bus when a task changes state. */
export const TASK_STATE_SOURCE = "aws.ecs";
export const TASK_STATE_DETAIL_TYPE = "ECS Task State Change";

export interface TaskStoppedAlertProps {
  /** The alerts topic; the rule is named `<destination prefix>-atlantis-task-stopped` (the topic admits only such rules). */
  readonly destination: AlarmDestination;
  /** The Atlantis cluster whose stopped tasks are reported. */
  readonly clusterArn: string;
}

/**
 * Tells the alerts topic each time an Atlantis task stops, whatever the reason (a crash, a failed health check, a
 * deployment, Fargate maintenance): a plan or apply running in it was cut short, and its lock stays in the data
 * directory until someone looks. A rule on ECS's own "ECS Task State Change" events of the cluster with lastStatus
 * STOPPED sends one readable message per task; an alarm tells when that delivery fails.
 */
export class TaskStoppedAlert extends Construct {
  /** The rule's event pattern (the tests match events against it). */
  readonly eventPattern: Readonly<Record<string, unknown>>;
  /** Rule name. */
  readonly ruleName: string;

  constructor(scope: Construct, id: string, props: TaskStoppedAlertProps) {
    super(scope, id);
    this.eventPattern = {
      source: [TASK_STATE_SOURCE],
      "detail-type": [TASK_STATE_DETAIL_TYPE],
      detail: { clusterArn: [props.clusterArn], lastStatus: ["STOPPED"] },
    };
    const rule = new AlertRule(this, "rule", {
      destination: props.destination,
      name: "atlantis-task-stopped",
      description: "Every stopped Atlantis task (crash, failed health check, deployment, maintenance), to the alerts topic",
      eventPattern: this.eventPattern,
      message: {
        inputPaths: { group: "$.detail.group", task: "$.detail.taskArn", code: "$.detail.stopCode", reason: "$.detail.stoppedReason" },
        inputTemplate:
          '"Atlantis task <task> (<group>) stopped: <code>, <reason>. A plan or apply it was running was interrupted; check its pull request and the locks in the Atlantis UI."',
      },
    });
    this.ruleName = rule.ruleName;
  }
}
