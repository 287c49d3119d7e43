import { Construct } from "constructs";
import { EBS_CSI_CLUSTER_TAG } from "../modules/cluster/cluster-addons";
import { IngressWafAdmission } from "../modules/platform/ingress-waf-admission";
import { EnvironmentConfig } from "../environments";
import { SYSTEM_NODE_LABEL } from "../modules/cluster/system-node-group";
import { Ec2NodeClass } from "../modules/karpenter/ec2-node-class";
import { KARPENTER_NAMESPACE } from "../modules/karpenter/karpenter-aws";
import { KarpenterModels } from "../modules/karpenter/karpenter-models";
import { NodePool } from "../modules/karpenter/node-pool";
import { Network } from "../modules/network/network";
import { ClusterProviders } from "../modules/platform/cluster-providers";
import { HelmChart } from "../modules/platform/helm-chart";
import { Namespace, READINESS_GATE_INJECTION } from "../modules/platform/namespace";
import { PlanReaders } from "../modules/platform/plan-readers";
import { ClusterStack, WORKLOAD_SERVICE_ACCOUNTS } from "./cluster-stack";
import { EnvironmentStack } from "./environment-stack";
import { APP_NAMESPACE } from "./naming";

/** Chart repositories of the platform's releases. */
export const CHART_REPOSITORIES = {
  karpenter: "oci://public.ecr.aws/karpenter",
  eks: "https://aws.github.io/eks-charts",
  metricsServer: "https://kubernetes-sigs.github.io/metrics-server/",
  externalSecrets: "https://charts.external-secrets.io",
} as const;

/**
 * The values that set the port the API server calls on each release's pods (webhooks, aggregated APIs), by release:
 * each must be a port the cluster's node security group admits from the control plane (CONTROL_PLANE_TO_NODE_PORTS).
 */
export const CONTROL_PLANE_CALLED_PORTS: Readonly<Record<string, string>> = {
  "metrics-server": "containerPort",
  "external-secrets": "webhook.port",
  "aws-load-balancer-controller": "webhookBindPort",
};

/**
 * `<env>-platform`: what runs inside the cluster for the platform itself. Karpenter (its CRDs, its controller on the
 * system nodes, the EC2NodeClass and the `web` NodePool), the AWS Load Balancer Controller, metrics-server,
 * external-secrets (each application's SecretStore is in the apps stack), and the application and platform namespaces.
 */
export class PlatformStack extends EnvironmentStack {
  /** The `web` NodePool, where the API and the front-end run. */
  readonly webPool: NodePool;

  constructor(scope: Construct, env: EnvironmentConfig, network: Network, cluster: ClusterStack, karpenterModels: KarpenterModels) {
    super(scope, "platform", env);
    const eks = cluster.cluster;
    const { charts, karpenter } = env.platform;
    new ClusterProviders(this, "cluster-access", { cluster: cluster.cluster, region: env.region });
    const onSystemNodes = { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value };

    // Namespaces: the application's runs only restricted pods; external-secrets' charts are restricted-compliant.
    // An application pod is Ready only once the ALB's target for it is healthy (rollouts wait for the load balancer).
    new Namespace(this, "app-namespace", {
      name: APP_NAMESPACE,
      podSecurity: "restricted",
      labels: { [READINESS_GATE_INJECTION.key]: READINESS_GATE_INJECTION.value },
    });
    const externalSecretsNamespace = new Namespace(this, "external-secrets-namespace", {
      name: WORKLOAD_SERVICE_ACCOUNTS.externalSecrets.namespace,
      podSecurity: "restricted",
    });

    const common = { environment: env.name };
    const karpenterCrds = new HelmChart(this, "karpenter-crd", {
      ...common,
      releaseName: "karpenter-crd",
      repository: CHART_REPOSITORIES.karpenter,
      chart: "karpenter-crd",
      version: charts.karpenter,
      namespace: KARPENTER_NAMESPACE,
    });
    const karpenterController = new HelmChart(this, "karpenter", {
      ...common,
      releaseName: "karpenter",
      repository: CHART_REPOSITORIES.karpenter,
      chart: "karpenter",
      version: charts.karpenter,
      namespace: KARPENTER_NAMESPACE,
      skipCrds: true,
      computed: {
        settings: {
          clusterName: eks.name,
          clusterEndpoint: eks.endpoint,
          interruptionQueue: cluster.karpenter.interruptionQueue.name,
          // No new nodes in a zone the cluster has been shifted away from (the controller has the ARC permission).
          enableZonalShift: eks.zonalShiftEnabled,
        },
        // The pods cannot reach the instance metadata service (hop limit 1), so the region is given.
        controller: { env: [{ name: "AWS_REGION", value: env.region }] },
        nodeSelector: onSystemNodes,
      },
      dependsOn: [karpenterCrds.release],
    });
    const nodeClass = new Ec2NodeClass(this, "node-class", {
      models: karpenterModels,
      name: "default",
      clusterName: eks.configuredName,
      nodeRoleName: cluster.karpenter.nodeRole.name,
      amiAlias: karpenter.amiAlias,
      rootVolumeGiB: karpenter.rootVolumeGiB,
      tags: {
        Project: env.project,
        Environment: env.name,
        ManagedBy: "karpenter",
        Owner: env.tags.owner,
        CostCenter: env.tags.costCenter,
        DataClassification: env.tags.dataClassification,
        // The EBS CSI driver's cluster-scoped policy attaches volumes only to this cluster's instances.
        [EBS_CSI_CLUSTER_TAG]: eks.configuredName,
      },
      // The controller puts its termination finalizer on these objects: it must be there to create them, and still
      // there when they are destroyed (or the destroy hangs on the finalizer and leaks the instance profile).
      dependsOn: [karpenterController.release],
    });
    const web = karpenter.webPool;
    this.webPool = new NodePool(this, "web-pool", {
      models: karpenterModels,
      name: "web",
      nodeClass,
      capacityTypes: web.capacityTypes,
      architectures: ["amd64"],
      instanceCategories: web.instanceCategories,
      minimumGeneration: web.minimumGeneration,
      limits: { cpu: web.cpuLimit, memory: web.memoryLimit },
      expireAfter: web.expireAfter,
      consolidateAfter: web.consolidateAfter,
      budgets: web.budgets,
      dependsOn: [karpenterController.release],
    });

    // Whoever applies an Ingress, the API server refuses an internet-facing one without a web ACL.
    new IngressWafAdmission(this, "ingress-waf-admission");
    // Plans of this stack and the apps stack refresh the custom resources and admission policies they manage.
    new PlanReaders(this, "plan-readers");
    new HelmChart(this, "aws-load-balancer-controller", {
      ...common,
      releaseName: "aws-load-balancer-controller",
      repository: CHART_REPOSITORIES.eks,
      chart: "aws-load-balancer-controller",
      version: charts.loadBalancerController,
      namespace: WORKLOAD_SERVICE_ACCOUNTS.loadBalancerController.namespace,
      computed: { clusterName: eks.name, region: env.region, vpcId: network.vpcId, nodeSelector: onSystemNodes },
    });
    new HelmChart(this, "metrics-server", {
      ...common,
      releaseName: "metrics-server",
      repository: CHART_REPOSITORIES.metricsServer,
      chart: "metrics-server",
      version: charts.metricsServer,
      namespace: "kube-system",
      computed: { nodeSelector: onSystemNodes },
    });
    // Each application's SecretStore (apps stack) reads only its own secrets, through its own role.
    new HelmChart(this, "external-secrets", {
      ...common,
      releaseName: "external-secrets",
      repository: CHART_REPOSITORIES.externalSecrets,
      chart: "external-secrets",
      version: charts.externalSecrets,
      namespace: externalSecretsNamespace.name,
      computed: { global: { nodeSelector: onSystemNodes } },
    });
  }
}
