import { GuardrailRule } from "../rule";
import { SynthesizedResource, SynthesizedStack, blocks, isSet } from "../synthesized-stack";

/** Where the pod spec sits in each typed workload resource of the Kubernetes provider. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  kubernetes_pod_v1: ["spec"],
  kubernetes_deployment_v1: ["spec", "template", "spec"],
  kubernetes_stateful_set_v1: ["spec", "template", "spec"],
  kubernetes_daemon_set_v1: ["spec", "template", "spec"],
  kubernetes_job_v1: ["spec", "template", "spec"],
  kubernetes_cron_job_v1: ["spec", "job_template", "spec", "template", "spec"],
};

interface Container {
  readonly workload: SynthesizedResource;
  readonly pod: Record<string, unknown>;
  readonly container: Record<string, unknown>;
}

/** Every container and init container of every typed workload of the stack, with its pod spec. */
function containers(stack: SynthesizedStack): Container[] {
  return Object.entries(POD_SPEC_PATHS).flatMap(([type, path]) =>
    stack.resources(type).flatMap((workload) => {
      const pods = path.reduce<Array<Record<string, unknown>>>((found, key) => found.flatMap((block) => blocks(block[key])), [workload.values]);
      return pods.flatMap((pod) => [...blocks(pod.init_container), ...blocks(pod.container)].map((container) => ({ workload, pod, container })));
    }),
  );
}

/** One finding per container with problems, naming the container and what to set. */
function findingsOf(stack: SynthesizedStack, problemsOf: (container: Container) => string[]) {
  return containers(stack).flatMap((container) => {
    const problems = problemsOf(container);
    return problems.length ? [{ address: container.workload.address, message: `container "${container.container.name}": set ${problems.join(", ")}` }] : [];
  });
}

export const workloadRestricted: GuardrailRule = {
  id: "k8s-restricted-container",
  requirement:
    "Every container of every Kubernetes workload runs as a non-root user, with a read-only root filesystem, no privilege escalation, not privileged, and all capabilities dropped.",
  rationale: "An application compromise must stay inside an unprivileged, immutable container rather than reach the node and the other tenants' pods.",
  check: (stack) =>
    findingsOf(stack, ({ pod, container }) => {
      const podContext = blocks(pod.security_context)[0] ?? {};
      const context = blocks(container.security_context)[0] ?? {};
      const nonRoot = (context.run_as_non_root ?? podContext.run_as_non_root) === true && (context.run_as_user ?? podContext.run_as_user) !== "0";
      const dropsAll = blocks(context.capabilities).some((capabilities) => [capabilities.drop ?? []].flat().includes("ALL"));
      return [
        !nonRoot && "security_context.run_as_non_root = true (and a non-zero run_as_user)",
        context.read_only_root_filesystem !== true && "security_context.read_only_root_filesystem = true",
        context.allow_privilege_escalation !== false && "security_context.allow_privilege_escalation = false",
        context.privileged === true && "security_context.privileged = false",
        !dropsAll && 'security_context.capabilities.drop = ["ALL"]',
      ].filter((problem): problem is string => typeof problem === "string");
    }),
};

export const workloadResourceLimits: GuardrailRule = {
  id: "k8s-resource-limits",
  requirement: "Every container of every Kubernetes workload declares CPU and memory requests and limits.",
  rationale: "Without requests the scheduler and Karpenter size nodes blindly; without limits one runaway pod starves its neighbours.",
  check: (stack) =>
    findingsOf(stack, ({ container }) => {
      const resources = blocks(container.resources)[0] ?? {};
      return (["requests", "limits"] as const).flatMap((kind) => {
        const quantities = blocks(resources[kind])[0] ?? {};
        return ["cpu", "memory"].filter((name) => !isSet(quantities[name])).map((name) => `resources.${kind}.${name}`);
      });
    }),
};

const ALB_ANNOTATION = "alb.ingress.kubernetes.io/";

export const ingressHttpsWaf: GuardrailRule = {
  id: "ingress-https-waf",
  requirement:
    "Every Ingress serves HTTPS on 443 with an ACM certificate and a TLS 1.3 policy, redirects any HTTP listener to HTTPS, and is behind a WAFv2 web ACL.",
  rationale: "Users' credentials and unpublished results cross the ALB; the internet-facing entry must be encrypted and filtered before it reaches the pods.",
  check: (stack) =>
    stack.resources("kubernetes_ingress_v1").flatMap((ingress) => {
      const annotations = (blocks(ingress.values.metadata)[0]?.annotations ?? {}) as Record<string, unknown>;
      const annotation = (name: string) => annotations[`${ALB_ANNOTATION}${name}`];
      let listeners: Array<Record<string, number>> = [];
      try {
        listeners = JSON.parse(String(annotation("listen-ports") ?? "[]"));
      } catch {
        return [{ address: ingress.address, message: "write the listen-ports annotation as JSON with JSON.stringify" }];
      }
      const ports = (protocol: string) => listeners.filter((listener) => protocol in listener).map((listener) => listener[protocol]);
      const problems = [
        !ports("HTTPS").includes(443) && 'listen-ports with {"HTTPS":443}',
        ports("HTTP").length > 0 && annotation("ssl-redirect") !== "443" && 'ssl-redirect = "443"',
        !isSet(annotation("certificate-arn")) && "certificate-arn",
        !String(annotation("ssl-policy") ?? "").includes("TLS13") && "ssl-policy to an ELBSecurityPolicy-TLS13-* policy",
        !isSet(annotation("wafv2-acl-arn")) && "wafv2-acl-arn",
      ].filter((problem): problem is string => typeof problem === "string");
      return problems.length ? [{ address: ingress.address, message: `set the ${ALB_ANNOTATION} annotations ${problems.join(", ")}` }] : [];
    }),
};

export const secretStoreScoped: GuardrailRule = {
  id: "secret-store-scoped",
  requirement:
    "external-secrets reads Secrets Manager only through namespaced SecretStores that each name their own role (an application's reader, limited to its prefix); no ClusterSecretStore.",
  rationale:
    "A ClusterSecretStore, or a store that uses the controller's identity, lets any ExternalSecret it admits sync any secret the controller can read, so one application's deploy could read every other's secrets.",
  check: (stack) =>
    stack.resources("kubernetes_manifest").flatMap((resource) => {
      const manifest = (resource.values.manifest ?? {}) as { kind?: string; spec?: { provider?: { aws?: { role?: unknown } } } };
      if (manifest.kind === "ClusterSecretStore") {
        return [{ address: resource.address, message: "replace the ClusterSecretStore with one SecretStore per application, in its namespace, each naming its reader role" }];
      }
      if (manifest.kind === "SecretStore" && manifest.spec?.provider?.aws && !isSet(manifest.spec.provider.aws.role)) {
        return [{ address: resource.address, message: "set spec.provider.aws.role to the application's reader role (the controller's own identity reads nothing)" }];
      }
      return [];
    }),
};
