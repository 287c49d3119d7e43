import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { EksCluster } from "../cluster/eks-cluster";

export interface ClusterProvidersProps {
  /** The cluster: name, API endpoint and base64 CA certificate (the cluster stack's, by reference). */
  readonly cluster: Pick<EksCluster, "name" | "endpoint" | "certificateAuthority">;
  /** Region of the cluster. */
  readonly region: string;
  /** Configure the Helm provider too. @default true */
  readonly helm?: boolean;
}

/**
 * The Kubernetes and Helm providers of an in-cluster stack, authenticated by `aws eks get-token` at every run (a
 * short-lived token from the runner's AWS credentials: the plan role, view-only in the cluster, or the deploy role,
 * cluster admin), never by a static token stored in state.
 */
export class ClusterProviders extends Construct {
  constructor(scope: Construct, id: string, props: ClusterProvidersProps) {
    super(scope, id);
    const exec = {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: [
        "eks",
        "get-token",
        "--cluster-name",
        props.cluster.name,
        "--region",
        props.region,
      ],
    };
    const connection = { host: props.cluster.endpoint, clusterCaCertificate: Fn.base64decode(props.cluster.certificateAuthority) };
    new KubernetesProvider(scope, "kubernetes", { ...connection, exec: [exec] });
    if (props.helm ?? true) new HelmProvider(scope, "helm", { kubernetes: { ...connection, exec } });
  }
}
