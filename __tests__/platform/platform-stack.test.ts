import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { TerraformStack, Testing } from "cdktf";
import { Ec2NodeClass } from "../../modules/karpenter/ec2-node-class";
import { loadKarpenterModels } from "../../modules/karpenter/karpenter-models";
import { NodePool } from "../../modules/karpenter/node-pool";
import { HELM_VALUES_DIR, documentedKeys, valuePaths } from "../../modules/platform/helm-values";
import { CONTROL_PLANE_TO_NODE_PORTS } from "../../modules/cluster/cluster-security-groups";
import { CHART_REPOSITORIES, CONTROL_PLANE_CALLED_PORTS } from "../../stacks/platform-stack";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { StackJson, resourcesOf, synthesizedStacks } from "../helpers/synth";

const RELEASES = {
  "karpenter-crd": { repository: CHART_REPOSITORIES.karpenter, version: "karpenter", namespace: "kube-system" },
  karpenter: { repository: CHART_REPOSITORIES.karpenter, version: "karpenter", namespace: "kube-system" },
  "aws-load-balancer-controller": { repository: CHART_REPOSITORIES.eks, version: "loadBalancerController", namespace: "kube-system" },
  "metrics-server": { repository: CHART_REPOSITORIES.metricsServer, version: "metricsServer", namespace: "kube-system" },
  "external-secrets": { repository: CHART_REPOSITORIES.externalSecrets, version: "externalSecrets", namespace: "external-secrets" },
} as const;

describe.each(ENVIRONMENT_NAMES)("%s-platform", (name) => {
  const env = environment(name);
  const stack = synthesizedStacks(name)[`${name}-platform`];
  const releases = resourcesOf(stack, "helm_release");
  const values = (release: string) => parse(releases[release.replace(/-/g, "_")].values[0]);
  const manifests = Object.values(resourcesOf(stack, "kubernetes_manifest")).map((resource) => resource.manifest);
  const manifest = (kind: string) => manifests.find((m) => m.kind === kind);
  const clusterOutput = (attribute: string) => new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${name}-cluster\\.outputs\\..*${attribute}}$`);

  it("authenticates the Kubernetes and Helm providers with aws eks get-token (the runner's role), never a static token", () => {
    const args = ["eks", "get-token", "--cluster-name", expect.stringMatching(clusterOutput("name")), "--region", env.region];
    const [kubernetes] = stack.provider.kubernetes;
    expect(kubernetes.exec).toEqual([{ api_version: "client.authentication.k8s.io/v1beta1", command: "aws", args }]);
    expect(kubernetes.host).toMatch(clusterOutput("endpoint"));
    expect(kubernetes.cluster_ca_certificate).toMatch(/^\$\{base64decode\(data\.terraform_remote_state\..+certificate_authority0data\)}$/);
    expect(kubernetes.token).toBeUndefined();
    const [helm] = stack.provider.helm;
    expect(helm.kubernetes.exec).toEqual({ api_version: "client.authentication.k8s.io/v1beta1", command: "aws", args });
    expect(helm.kubernetes.token).toBeUndefined();
  });

  it("installs the pinned charts from their repositories, atomically", () => {
    expect(Object.keys(releases).sort()).toEqual(Object.keys(RELEASES).map((release) => release.replace(/-/g, "_")).sort());
    for (const [release, expected] of Object.entries(RELEASES)) {
      expect(releases[release.replace(/-/g, "_")]).toMatchObject({
        name: release,
        chart: release,
        repository: expected.repository,
        version: env.platform.charts[expected.version],
        atomic: true,
        create_namespace: false,
      });
      expect(String(releases[release.replace(/-/g, "_")].namespace)).toMatch(new RegExp(`^(${expected.namespace}|\\$\\{kubernetes_namespace_v1\\..+\\.metadata\\[0\\]\\.name})$`));
    }
  });

  it("installs Karpenter's CRDs from their own release, before the controller, which skips them", () => {
    expect(releases.karpenter.skip_crds).toBe(true);
    expect(releases.karpenter.depends_on).toEqual(["helm_release.karpenter_crd"]);
    expect(releases.karpenter_crd.skip_crds).toBe(false);
  });

  it("gives Karpenter the cluster, the interruption queue and the region, and schedules it on the system nodes", () => {
    const karpenter = values("karpenter");
    expect(karpenter.settings.clusterName).toMatch(clusterOutput("name"));
    expect(karpenter.settings.clusterEndpoint).toMatch(clusterOutput("endpoint"));
    expect(karpenter.settings.interruptionQueue).toMatch(clusterOutput("name"));
    expect(karpenter.controller.env).toEqual([{ name: "AWS_REGION", value: env.region }]);
    expect(karpenter.nodeSelector).toEqual({ "proteomics.io/node-pool": "system" });
    expect(karpenter.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
    expect(karpenter.serviceAccount).toEqual({ create: true, name: "karpenter", annotations: {} });
  });

  it("has Karpenter follow the cluster's zonal shifts, and repair the nodes it launched", () => {
    const karpenter = values("karpenter");
    const [cluster] = Object.values(resourcesOf(synthesizedStacks(name)[`${name}-cluster`], "aws_eks_cluster"));
    // The controller panics at start when asked to follow zonal shifts that the cluster does not have.
    expect(cluster.zonal_shift_config).toEqual({ enabled: true });
    expect(karpenter.settings.enableZonalShift).toBe(true);
    expect(karpenter.settings.featureGates).toEqual({ nodeRepair: true });
  });

  it("merges the environment's overrides over the shared values", () => {
    const override = path.join(HELM_VALUES_DIR, name, "karpenter.yaml");
    const expected = fs.existsSync(override) ? parse(fs.readFileSync(override, "utf8")).controller.resources : parse(fs.readFileSync(path.join(HELM_VALUES_DIR, "karpenter.yaml"), "utf8")).controller.resources;
    expect(values("karpenter").controller.resources).toEqual(expected);
  });

  it("sets only documented chart keys, computed settings included", () => {
    for (const release of Object.keys(RELEASES)) {
      const keys = documentedKeys(path.join(HELM_VALUES_DIR, `${release}.yaml`));
      const undocumented = valuePaths(values(release)).filter((leaf) => !keys.some((key) => leaf === key || leaf.startsWith(`${key}.`)));
      expect([release, undocumented]).toEqual([release, []]);
    }
  });

  it("gives the load balancer controller the cluster, region and VPC (no metadata service), on system nodes", () => {
    const lbc = values("aws-load-balancer-controller");
    expect(lbc.clusterName).toMatch(clusterOutput("name"));
    expect(lbc.region).toBe(env.region);
    expect(lbc.vpcId).toMatch(new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${name}-network\\..+}$`));
    expect(lbc.nodeSelector).toEqual({ "proteomics.io/node-pool": "system" });
    expect(lbc.serviceAccount.name).toBe("aws-load-balancer-controller");
  });

  it("serves webhooks and aggregated APIs only on ports the node security group admits from the control plane", () => {
    const admitted: number[] = CONTROL_PLANE_TO_NODE_PORTS.map(({ port }) => port);
    const served = Object.entries(CONTROL_PLANE_CALLED_PORTS).map(([release, key]) => [release, key, key.split(".").reduce<StackJson>((value, part) => value?.[part], values(release))] as const);
    for (const [release, key, port] of served) expect([release, key, admitted.includes(Number(port))]).toEqual([release, key, true]);
    // And every admitted port besides the kubelet's is served by something installed here.
    for (const port of admitted.filter((candidate) => candidate !== 10250)) expect(served.map(([, , servedPort]) => Number(servedPort))).toContain(port);
  });

  it("runs metrics-server and external-secrets highly available on the system nodes", () => {
    expect(values("metrics-server")).toMatchObject({ replicas: 2, nodeSelector: { "proteomics.io/node-pool": "system" } });
    expect(values("external-secrets")).toMatchObject({ replicaCount: 2, leaderElect: true, global: { nodeSelector: { "proteomics.io/node-pool": "system" } } });
  });

  describe("Karpenter objects", () => {
    const nodeClass = manifest("EC2NodeClass");
    const nodePool = manifest("NodePool");

    it(`pins the AMI${env.tier === "production" ? " (never @latest in production)" : ""}`, () => {
      expect(nodeClass.spec.amiSelectorTerms).toEqual([{ alias: env.platform.karpenter.amiAlias }]);
      if (env.tier === "production") expect(env.platform.karpenter.amiAlias).not.toMatch(/@latest$/);
    });

    it("finds the cluster's subnets and node security group by their discovery tag, and uses the node role", () => {
      const discovery = [{ tags: { "karpenter.sh/discovery": `proteomics-${name}-eks` } }];
      expect(nodeClass.spec.subnetSelectorTerms).toEqual(discovery);
      expect(nodeClass.spec.securityGroupSelectorTerms).toEqual(discovery);
      expect(nodeClass.spec.role).toMatch(/^\$\{data\.terraform_remote_state\..+karpenter_node-role.+name}$/);
    });

    it("requires IMDSv2 with hop limit 1 and an encrypted gp3 root volume sized from config, and tags the nodes", () => {
      expect(nodeClass.spec.metadataOptions).toEqual({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, httpProtocolIPv6: "disabled" });
      expect(nodeClass.spec.blockDeviceMappings).toEqual([
        { deviceName: "/dev/xvda", ebs: { volumeSize: `${env.platform.karpenter.rootVolumeGiB}Gi`, volumeType: "gp3", encrypted: true, deleteOnTermination: true } },
      ]);
      expect(nodeClass.spec.tags).toMatchObject({ Project: "proteomics", Environment: name, CostCenter: env.tags.costCenter });
    });

    it("runs the web pool on current-generation c/m/r amd64 instances of the configured capacity types", () => {
      const { requirements } = nodePool.spec.template.spec;
      const requirement = (key: string) => requirements.find((r: StackJson) => r.key === key);
      expect(requirement("karpenter.sh/capacity-type").values).toEqual(env.platform.karpenter.webPool.capacityTypes);
      expect(requirement("kubernetes.io/arch").values).toEqual(["amd64"]);
      expect(requirement("karpenter.k8s.aws/instance-category").values).toEqual(["c", "m", "r"]);
      expect(requirement("karpenter.k8s.aws/instance-generation")).toEqual({ key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] });
      expect(nodePool.spec.template.metadata.labels).toEqual({ "proteomics.io/node-pool": "web" });
      expect(nodePool.spec.template.spec.nodeClassRef).toEqual({ group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: nodeClass.metadata.name });
    });

    it("takes limits, expiry and disruption settings from config", () => {
      const pool = env.platform.karpenter.webPool;
      expect(nodePool.spec.limits).toEqual({ cpu: pool.cpuLimit, memory: pool.memoryLimit });
      expect(nodePool.spec.template.spec.expireAfter).toBe(pool.expireAfter);
      expect(nodePool.spec.disruption).toEqual({ consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: pool.consolidateAfter, budgets: pool.budgets });
    });

    it("is created after the controller and destroyed before it (its finalizer must be served), which waits for the CRDs", () => {
      const resources = Object.values(resourcesOf(stack, "kubernetes_manifest"));
      const [nodeClassAddress] = Object.entries(resourcesOf(stack, "kubernetes_manifest")).find(([, r]) => r.manifest.kind === "EC2NodeClass")!;
      expect(resources.find((r) => r.manifest.kind === "EC2NodeClass")!.depends_on).toEqual(["helm_release.karpenter"]);
      expect(resources.find((r) => r.manifest.kind === "NodePool")!.depends_on).toEqual([`kubernetes_manifest.${nodeClassAddress}`, "helm_release.karpenter"]);
      expect(releases.karpenter.depends_on).toEqual(["helm_release.karpenter_crd"]);
    });
  });

  it("has the load balancer controller gate the application's pods on their ALB target's health", () => {
    const namespaces = Object.fromEntries(Object.values(resourcesOf(stack, "kubernetes_namespace_v1")).map((ns) => [ns.metadata.name, ns.metadata.labels]));
    expect(namespaces.proteomics["elbv2.k8s.aws/pod-readiness-gate-inject"]).toBe("enabled");
    expect(namespaces["external-secrets"]["elbv2.k8s.aws/pod-readiness-gate-inject"]).toBeUndefined();
  });

  it("enforces the restricted Pod Security level in the application and external-secrets namespaces", () => {
    const namespaces = Object.values(resourcesOf(stack, "kubernetes_namespace_v1")).map((ns) => ns.metadata);
    expect(namespaces.map((ns) => ns.name).sort()).toEqual(["external-secrets", "proteomics"]);
    for (const ns of namespaces) {
      expect(ns.labels).toMatchObject({
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
      });
    }
  });

  it("installs no ClusterSecretStore: each application's SecretStore (apps stack) reads only its own secrets", () => {
    expect(Object.values(resourcesOf(stack, "kubernetes_manifest")).map((resource) => resource.manifest.kind)).not.toContain("ClusterSecretStore");
  });
});

describe("Karpenter schema validation", () => {
  let models: Awaited<ReturnType<typeof loadKarpenterModels>>;
  beforeAll(async () => {
    models = await loadKarpenterModels();
  });
  const nodeClassProps = () => ({
    models,
    name: "default",
    clusterName: "c",
    nodeRoleName: "r",
    amiAlias: "al2023@v20260714",
    rootVolumeGiB: 100,
    tags: {},
    dependsOn: [],
  });

  it("refuses a NodePool the CRD would refuse, naming the object, the stack and the violation", () => {
    const stack = new TerraformStack(Testing.app(), "broken-platform");
    const nodeClass = new Ec2NodeClass(stack, "node-class", nodeClassProps());
    expect(
      () =>
        new NodePool(stack, "web", {
          models,
          name: "web",
          nodeClass,
          capacityTypes: ["spot"],
          architectures: ["amd64"],
          instanceCategories: ["m"],
          minimumGeneration: 6,
          limits: { cpu: "8", memory: "32Gi" },
          expireAfter: "720h",
          consolidateAfter: "1m",
          budgets: [{ nodes: "ten percent" }],
          dependsOn: [],
        }),
    ).toThrow(/^Invalid Karpenter NodePool "web" in broken-platform: data\/spec\/disruption\/budgets\/0\/nodes must match pattern/);
  });

  it("refuses an EC2NodeClass the CRD would refuse", () => {
    const stack = new TerraformStack(Testing.app(), "broken-platform");
    expect(() => new Ec2NodeClass(stack, "node-class", { ...nodeClassProps(), rootVolumeGiB: 70000 })).toThrow(
      /^Invalid Karpenter EC2NodeClass "default" in broken-platform: data\/spec\/blockDeviceMappings\/0\/ebs\/volumeSize must match pattern/,
    );
  });
});
