import { DeploymentV1SpecTemplateSpec } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { NODE_POOL_LABEL } from "../karpenter/node-pool";

/** Label shared by a workload's pods and its one-off jobs; NetworkPolicies select on it. */
export const COMPONENT_LABEL = "proteomics.io/component";

/** The label selector of a component's pods (a workload's and its jobs'). */
export function componentSelector(component: string): Record<string, string> {
  return { [COMPONENT_LABEL]: component };
}

/** UID and GID the application containers run as (never root). */
export const APP_USER_ID = 10001;

/** The container's HTTP health endpoints. */
export interface ContainerHealth {
  /** Restart the container when this path fails. */
  readonly liveness: string;
  /** Send traffic only while this path succeeds (also the ALB's health check). */
  readonly readiness: string;
  /** Hold the other probes until this path succeeds once. */
  readonly startup: string;
}

export interface RestrictedPodProps {
  /** Container name (also the `app.kubernetes.io/name` label value). */
  readonly name: string;
  /** Image, `<repository url>:<immutable tag>`. */
  readonly image: string;
  /** Service account (bound to a Pod Identity role). */
  readonly serviceAccountName: string;
  /** Command, when not the image's own. @default the image's */
  readonly command?: readonly string[];
  /** CPU and memory the scheduler reserves. */
  readonly requests: { readonly cpu: string; readonly memory: string };
  /** CPU and memory the container may not exceed. */
  readonly limits: { readonly cpu: string; readonly memory: string };
  /** ConfigMap whose keys become environment variables. */
  readonly configMapName: string;
  /** Further environment variables. @default none */
  readonly environment?: Readonly<Record<string, string>>;
  /** Environment variables read from Secret keys: variable -> { secret, key }. @default none */
  readonly secretEnvironment?: Readonly<Record<string, { readonly secret: string; readonly key: string }>>;
  /** HTTP port and health endpoints; a job has none. @default no port, no probes */
  readonly http?: { readonly port: number; readonly health: ContainerHealth };
  /** Karpenter NodePool the pod runs on. */
  readonly nodePool: string;
  /** Restart policy (a Deployment's pods must be `Always`, a Job's `Never` or `OnFailure`). @default Always */
  readonly restartPolicy?: "Always" | "Never" | "OnFailure";
  /**
   * Seconds the container keeps running after it is told to stop, before SIGTERM (a `sleep` in a preStop hook: the
   * image must have a `sleep` binary). @default none: SIGTERM at once
   */
  readonly preStopSeconds?: number;
  /** Seconds the process gets after SIGTERM to finish its work before it is killed. @default 30 */
  readonly shutdownSeconds?: number;
}

/** The variable every application container finds its pod's IP in (from the downward API), first of its environment. */
export const POD_IP_VARIABLE = "POD_IP";

/** Every application container's security context: the fixed non-root user, read-only root, nothing to escalate. */
export const RESTRICTED_CONTAINER = {
  runAsNonRoot: true,
  runAsUser: String(APP_USER_ID),
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  privileged: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/**
 * The pod spec of every application workload, under the Pod Security `restricted` profile and then some: runs as a
 * fixed non-root user with a read-only root filesystem (an emptyDir holds /tmp), all capabilities dropped, no
 * privilege escalation, seccomp RuntimeDefault, no Kubernetes API token (Pod Identity needs none), resource
 * requests and limits, on the Karpenter pool given, spread over the zones.
 */
export function restrictedPodSpec(props: RestrictedPodProps): DeploymentV1SpecTemplateSpec {
  const probe = (path: string, extra: Readonly<Record<string, number>>) => ({
    httpGet: { path, port: String(props.http!.port) },
    ...extra,
  });
  return {
    serviceAccountName: props.serviceAccountName,
    automountServiceAccountToken: false,
    restartPolicy: props.restartPolicy ?? "Always",
    // The kubelet's grace period covers the preStop hook and the shutdown after it.
    terminationGracePeriodSeconds: (props.preStopSeconds ?? 0) + (props.shutdownSeconds ?? 30),
    nodeSelector: { [NODE_POOL_LABEL]: props.nodePool },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: String(APP_USER_ID),
      runAsGroup: String(APP_USER_ID),
      fsGroup: String(APP_USER_ID),
      seccompProfile: { type: "RuntimeDefault" },
    },
    topologySpreadConstraint: [
      {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "DoNotSchedule",
        labelSelector: [{ matchLabels: { "app.kubernetes.io/name": props.name } }],
      },
    ],
    container: [
      {
        name: props.name,
        image: props.image,
        command: props.command ? [...props.command] : undefined,
        port: props.http ? [{ name: "http", containerPort: props.http.port, protocol: "TCP" }] : undefined,
        envFrom: [{ configMapRef: { name: props.configMapName } }],
        // POD_IP first, so that later variables can use it as $(POD_IP).
        env: [
          { name: POD_IP_VARIABLE, valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
          ...Object.entries(props.environment ?? {}).map(([name, value]) => ({ name, value })),
          ...Object.entries(props.secretEnvironment ?? {}).map(([name, { secret, key }]) => ({
            name,
            valueFrom: { secretKeyRef: { name: secret, key } },
          })),
        ],
        resources: {
          requests: { cpu: props.requests.cpu, memory: props.requests.memory },
          limits: { cpu: props.limits.cpu, memory: props.limits.memory },
        },
        livenessProbe: props.http ? probe(props.http.health.liveness, { periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 }) : undefined,
        readinessProbe: props.http ? probe(props.http.health.readiness, { periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 }) : undefined,
        startupProbe: props.http ? probe(props.http.health.startup, { periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 30 }) : undefined,
        lifecycle: props.preStopSeconds ? { preStop: [{ exec: { command: ["sleep", String(props.preStopSeconds)] } }] } : undefined,
        securityContext: RESTRICTED_CONTAINER,
        volumeMount: [{ name: "tmp", mountPath: "/tmp" }],
      },
    ],
    volume: [{ name: "tmp", emptyDir: { medium: "", sizeLimit: "1Gi" } }],
  };
}
