import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Construct } from "constructs";

/** Pod Security Standards levels (Pod Security Admission). */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

export interface NamespaceProps {
  /** Namespace name. */
  readonly name: string;
  /** Pod Security level enforced (and audited, and warned about) in the namespace. */
  readonly podSecurity: PodSecurityLevel;
  /** Further labels (e.g. the load balancer controller's readiness-gate injection). @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The label that has the AWS Load Balancer Controller inject its target-health readiness gate into new pods. */
export const READINESS_GATE_INJECTION = { key: "elbv2.k8s.aws/pod-readiness-gate-inject", value: "enabled" } as const;

/** A namespace with Pod Security Admission enforcing, auditing and warning at one level. */
export class Namespace extends Construct {
  /** Namespace name, as a reference: what is created in it waits for it. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: NamespaceProps) {
    super(scope, id);
    const labels = {
      ...Object.fromEntries(
        ["enforce", "audit", "warn"].flatMap((mode) => [
          [`pod-security.kubernetes.io/${mode}`, props.podSecurity],
          [`pod-security.kubernetes.io/${mode}-version`, "latest"],
        ]),
      ),
      ...props.labels,
    };
    this.name = new NamespaceV1(this, "namespace", { metadata: { name: props.name, labels } }).metadata.name;
  }
}
