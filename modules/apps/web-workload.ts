import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ContainerHealth, RestrictedPodProps, componentSelector, restrictedPodSpec } from "./restricted-pod";

/**
 * Seconds the ALB keeps in-flight requests going to a target being deregistered (target group attribute; AWS's
 * default is 300). A pod that stops is removed from its target group first, then drained this long.
 */
export const DEREGISTRATION_DELAY_SECONDS = 30;

/**
 * Seconds a stopping pod keeps serving before SIGTERM: the load balancer controller deregisters its target and the
 * ALB stops sending it new requests, then drains what is in flight, all while the server still answers.
 */
export const PRE_STOP_SECONDS = DEREGISTRATION_DELAY_SECONDS + 15;

export interface WebWorkloadProps extends Omit<RestrictedPodProps, "http" | "restartPolicy" | "preStopSeconds"> {
  /** Namespace of the workload. */
  readonly namespace: string;
  /** Port the container serves HTTP on (also the Service's). */
  readonly port: number;
  /** Health endpoints of the probes. */
  readonly health: ContainerHealth;
  /** Fewest pods (the autoscaler's floor and the starting count). */
  readonly minReplicas: number;
  /** Most pods the autoscaler may run. */
  readonly maxReplicas: number;
  /** Average CPU use, % of requests, the autoscaler aims for. */
  readonly cpuTargetPercent: number;
  /** Must exist or finish before a new version rolls out (NetworkPolicies, database migrations). @default nothing */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * A web workload: a Deployment of restricted pods (under the given service account, the Pod Identity binding) that
 * rolls out without losing capacity or requests (a new pod is Ready once its ALB target is healthy, through the
 * namespace's readiness gate; a stopping pod serves through its deregistration before SIGTERM), a ClusterIP Service
 * the ALB targets by pod IP (health checked on the readiness path), a
 * CPU HorizontalPodAutoscaler between the configured bounds, and a PodDisruptionBudget that keeps all but one pod
 * through node drains and consolidation.
 */
export class WebWorkload extends Construct {
  /** Service name, for the ingress. */
  readonly serviceName: string;
  /** Service port, for the ingress and the NetworkPolicies. */
  readonly port: number;
  /** The pods' label selector (the Service's). */
  readonly selector: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: WebWorkloadProps) {
    super(scope, id);
    this.selector = { "app.kubernetes.io/name": props.name };
    this.port = props.port;
    const labels = { ...this.selector, ...componentSelector(props.name), "app.kubernetes.io/part-of": "proteomics" };
    const metadata = { name: props.name, namespace: props.namespace, labels };
    const deployment = new DeploymentV1(this, "deployment", {
      metadata,
      spec: {
        // The autoscaler owns the replica count once running; this is the starting point.
        replicas: String(props.minReplicas),
        selector: { matchLabels: this.selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "0", maxSurge: "25%" } },
        revisionHistoryLimit: 5,
        template: {
          metadata: { labels },
          spec: restrictedPodSpec({ ...props, http: { port: props.port, health: props.health }, preStopSeconds: PRE_STOP_SECONDS }),
        },
      },
      waitForRollout: true,
      lifecycle: { ignoreChanges: ["spec[0].replicas"] },
      dependsOn: props.dependsOn && [...props.dependsOn],
    });
    this.serviceName = new ServiceV1(this, "service", {
      metadata: {
        ...metadata,
        annotations: {
          "alb.ingress.kubernetes.io/healthcheck-path": props.health.readiness,
          "alb.ingress.kubernetes.io/success-codes": "200",
          "alb.ingress.kubernetes.io/target-group-attributes": `deregistration_delay.timeout_seconds=${DEREGISTRATION_DELAY_SECONDS}`,
        },
      },
      spec: { type: "ClusterIP", selector: this.selector, port: [{ name: "http", port: props.port, targetPort: "http", protocol: "TCP" }] },
    }).metadata.name;
    new HorizontalPodAutoscalerV2(this, "autoscaler", {
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
        minReplicas: props.minReplicas,
        maxReplicas: props.maxReplicas,
        metric: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: props.cpuTargetPercent } } }],
      },
    });
    new PodDisruptionBudgetV1(this, "disruption-budget", {
      metadata,
      spec: { maxUnavailable: "1", selector: { matchLabels: this.selector } },
    });
  }
}
