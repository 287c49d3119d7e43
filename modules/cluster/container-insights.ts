import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { EncryptionKey } from "../kms/kms-key";
import { LogGroup } from "../logging/log-group";
import { Metric } from "../observability/metric";
import { AlarmDestination, ThresholdAlarm } from "../observability/threshold-alarm";
import { EksCluster } from "./eks-cluster";
import { SYSTEM_NODE_LABEL, SYSTEM_NODE_TAINT } from "./system-node-group";

/** Namespace and service account of the CloudWatch agent and Fluent Bit (one Pod Identity role serves both). */
export const CLOUDWATCH_AGENT = { namespace: "amazon-cloudwatch", serviceAccount: "cloudwatch-agent" } as const;

/** The log groups Container Insights writes to, under `/aws/containerinsights/<cluster>/`. */
export const CONTAINER_INSIGHTS_LOG_GROUPS = ["application", "dataplane", "host", "performance"] as const;

export interface ContainerInsightsProps {
  /** The cluster. */
  readonly cluster: EksCluster;
  /** Pinned version of the `amazon-cloudwatch-observability` add-on. */
  readonly version: string;
  /** Key and retention of the log groups (container logs and the performance events metrics come from). */
  readonly logsKey: EncryptionKey;
  /** Days container logs and performance events are kept. */
  readonly logRetentionDays: number;
  /** What must exist first: nodes to run on, and the agent's Pod Identity association. */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * Container Insights through the `amazon-cloudwatch-observability` add-on: the CloudWatch agent (enhanced
 * observability metrics in the `ContainerInsights` namespace) and Fluent Bit (container logs) on every node, the
 * operator on the system nodes. Its log groups are created here first, encrypted and with a retention, so the agents
 * never create them unencrypted and kept forever.
 */
export class ContainerInsights extends Construct {
  private readonly clusterName: string;

  constructor(scope: Construct, id: string, props: ContainerInsightsProps) {
    super(scope, id);
    this.clusterName = props.cluster.configuredName;
    const logGroups = CONTAINER_INSIGHTS_LOG_GROUPS.map(
      (kind) =>
        new LogGroup(this, `log-group-${kind}`, {
          name: `/aws/containerinsights/${this.clusterName}/${kind}`,
          retentionDays: props.logRetentionDays,
          encryptionKey: props.logsKey,
        }),
    );
    new EksAddon(this, "addon", {
      clusterName: props.cluster.name,
      addonName: "amazon-cloudwatch-observability",
      addonVersion: props.version,
      // The agents tolerate every taint by default; the operator is placed on the system nodes explicitly.
      configurationValues: JSON.stringify({
        containerLogs: { enabled: true },
        manager: {
          nodeSelector: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
          tolerations: [{ key: SYSTEM_NODE_TAINT.key, operator: "Exists", effect: "NoSchedule" }],
        },
      }),
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      dependsOn: [...props.dependsOn, ...logGroups.map((group) => group.resource)],
    });
  }

  /** A cluster-wide Container Insights metric (`ContainerInsights`, by cluster name). */
  metric(metricName: string, statistic: Metric["statistic"], label?: string): Metric {
    return { namespace: "ContainerInsights", metricName, dimensions: { ClusterName: this.clusterName }, statistic, label };
  }

  /** Alarm on the cluster: nodes failing (NotReady) for 3 of the last 5 minutes. */
  addAlarms(destination: AlarmDestination, thresholds: { readonly failedNodes: number }): void {
    new ThresholdAlarm(this, "failed-nodes-alarm", {
      destination,
      name: "eks-failed-nodes",
      description: `${this.clusterName}: ${thresholds.failedNodes} or more nodes failing. kubectl get nodes; kubectl describe node <name>. Replaced after 30 minutes NotReady: Karpenter's by its node repair (unless over 20% of a pool is unhealthy), the system node group's by auto repair.`,
      metric: { ...this.metric("cluster_failed_node_count", "Maximum"), periodSeconds: 60 },
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: thresholds.failedNodes,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
  }
}
