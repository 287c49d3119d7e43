import { NetworkPolicyV1, NetworkPolicyV1SpecEgress, NetworkPolicyV1SpecIngress } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { Construct } from "constructs";

/** A TCP port to a set of CIDR blocks. */
interface CidrPort {
  readonly cidrs: readonly string[];
  readonly port: number;
}

/** The pods of a workload and the port they serve HTTP on. */
interface Workload {
  readonly selector: Readonly<Record<string, string>>;
  readonly port: number;
}

export interface AppNetworkPoliciesProps {
  /** The application namespace. */
  readonly namespace: string;
  /** The API's pods and HTTP port. */
  readonly api: Workload;
  /** The front-end's pods (and its migration job's) and HTTP port. */
  readonly frontend: Workload;
  /** The metrics database's migrations job's pods: the proxy only. */
  readonly migrations: { readonly selector: Readonly<Record<string, string>> };
  /** Public subnets: the ALB's network interfaces, which reach the pods directly (target type ip). */
  readonly albSubnetCidrs: readonly string[];
  /** The metrics database's proxy: the isolated subnets and 5432. */
  readonly database: CidrPort;
  /** The warehouse: the isolated subnets and 5439. */
  readonly warehouse: CidrPort;
}

/** Where pods fetch their Pod Identity credentials: the EKS Pod Identity Agent, on each node's link-local address. */
export const POD_IDENTITY_AGENT = { cidr: "169.254.170.23/32", port: 80 } as const;

const tcp = (port: number) => [{ protocol: "TCP", port: String(port) }];
const toCidrs = (cidrs: readonly string[]) => cidrs.map((cidr) => ({ ipBlock: { cidr } }));

/**
 * The application namespace denies all traffic by default; then, and only then:
 * - the ALB reaches the API and the front-end on their HTTP port; the front-end reaches the API;
 * - every pod resolves names through CoreDNS and fetches its AWS credentials from the Pod Identity Agent;
 * - both reach AWS APIs over HTTPS (through the VPC endpoints and NAT) and the metrics database's proxy;
 * - the front-end reaches the warehouse;
 * - the metrics migrations job reaches the proxy, and nothing else.
 * Enforced by the VPC CNI's network policy agent.
 */
export class AppNetworkPolicies extends Construct {
  /** Every policy, for the workloads that must not start before them. */
  readonly policies: NetworkPolicyV1[] = [];

  constructor(scope: Construct, id: string, props: AppNetworkPoliciesProps) {
    super(scope, id);
    const policy = (name: string, podSelector: Readonly<Record<string, string>>, ingress?: NetworkPolicyV1SpecIngress[], egress?: NetworkPolicyV1SpecEgress[]) => {
      const created = new NetworkPolicyV1(this, name, {
        metadata: { name, namespace: props.namespace },
        spec: {
          podSelector: Object.keys(podSelector).length ? { matchLabels: podSelector } : {},
          policyTypes: [...(ingress ? ["Ingress"] : []), ...(egress ? ["Egress"] : [])],
          ingress,
          egress,
        },
      });
      this.policies.push(created);
    };
    const https: NetworkPolicyV1SpecEgress = { to: toCidrs(["0.0.0.0/0"]), ports: tcp(443) };
    const database: NetworkPolicyV1SpecEgress = { to: toCidrs(props.database.cidrs), ports: tcp(props.database.port) };

    policy("default-deny", {}, [], []);
    policy("allow-dns", {}, undefined, [
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
        ports: [
          { protocol: "UDP", port: "53" },
          { protocol: "TCP", port: "53" },
        ],
      },
    ]);
    policy("allow-pod-identity", {}, undefined, [{ to: toCidrs([POD_IDENTITY_AGENT.cidr]), ports: tcp(POD_IDENTITY_AGENT.port) }]);
    const { api, frontend } = props;
    policy("metrics-migrations", props.migrations.selector, undefined, [database]);
    policy(
      "api",
      api.selector,
      [{ from: [...toCidrs(props.albSubnetCidrs), { podSelector: { matchLabels: frontend.selector } }], ports: tcp(api.port) }],
      [https, database],
    );
    policy(
      "frontend",
      frontend.selector,
      [{ from: toCidrs(props.albSubnetCidrs), ports: tcp(frontend.port) }],
      [
        https,
        database,
        { to: toCidrs(props.warehouse.cidrs), ports: tcp(props.warehouse.port) },
        { to: [{ podSelector: { matchLabels: api.selector } }], ports: tcp(api.port) },
      ],
    );
  }
}
