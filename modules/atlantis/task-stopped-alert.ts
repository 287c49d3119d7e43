import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Construct } from "constructs";
import { RuleDeliveryAlarm } from "../observability/rule-delivery-alarm";
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
    const rule = new CloudwatchEventRule(this, "rule", {
      name: `${props.destination.namePrefix}-atlantis-task-stopped`,
      description: "Every stopped Atlantis task (crash, failed health check, deployment, maintenance), to the alerts topic",
      eventPattern: JSON.stringify(this.eventPattern),
    });
    this.ruleName = rule.name;
    new CloudwatchEventTarget(this, "alert", {
      rule: rule.name,
      targetId: "AlertsTopic",
      arn: props.destination.topicArn,
      inputTransformer: {
        inputPaths: { group: "$.detail.group", task: "$.detail.taskArn", code: "$.detail.stopCode", reason: "$.detail.stoppedReason" },
        inputTemplate:
          '"Atlantis task <task> (<group>) stopped: <code>, <reason>. A plan or apply it was running was interrupted; check its pull request and the locks in the Atlantis UI."',
      },
    });
    new RuleDeliveryAlarm(this, "delivery-alarm", {
      destination: props.destination,
      name: "atlantis-task-stopped-delivery",
      description: "The Atlantis task-stopped rule could not deliver to the alerts topic: stopped Atlantis tasks go unreported. Check the topic's policy and key policy.",
      ruleName: rule.name,
    });
  }
}
