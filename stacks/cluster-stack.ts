import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { EnvironmentConfig, ToolingConfig } from "../environments";
import { SessionHost } from "../modules/access/session-host";
import { loadBalancerControllerStatements } from "../modules/addons/load-balancer-controller-policy";
import { ClusterAddons, VPC_CNI_SERVICE_ACCOUNT } from "../modules/cluster/cluster-addons";
import { CLOUDWATCH_AGENT, ContainerInsights } from "../modules/cluster/container-insights";
import { EksCluster } from "../modules/cluster/eks-cluster";
import { PodIdentityRole, podIdentityTrust } from "../modules/cluster/pod-identity-role";
import { SystemNodeGroup } from "../modules/cluster/system-node-group";
import { suppressGuardrail } from "../modules/guardrails/suppressions";
import { IamRole } from "../modules/iam/iam-role";
import { ManagedPolicy } from "../modules/iam/managed-policy";
import { KarpenterAws } from "../modules/karpenter/karpenter-aws";
import { Network } from "../modules/network/network";
import { AlarmDestination } from "../modules/observability/threshold-alarm";
import { DataStack } from "./data-stack";
import { EnvironmentStack } from "./environment-stack";
import { APP_NAMESPACE, SECRET_OWNERS, SecretOwner, clusterName, identityRoleArn, secretPrefix, secretReaderRoleName, workloadRoleName } from "./naming";
import { ANALYSIS_PREFIX, MANIFEST_PREFIX, UPLOADS_PREFIX } from "../modules/pipeline/analysis-contract";
import { TenantScopedRole } from "../modules/tenancy/tenant-scoped-role";
import { SecurityAlarms, execSignal, rbacChangeSignal } from "../modules/security/security-alarms";
import { identityRoleName } from "../modules/identity/identity-names";
import { DASHBOARD_TENANTS_GROUP, TENANT_USER_PREFIX } from "../modules/data/dashboard-names";
import { sessionTenantPrefix, tenantRoleName } from "../modules/tenancy/tenant-session";
import { atlantisSubnetCidrs } from "./peering";
import { KARPENTER_NAMESPACE } from "../modules/karpenter/karpenter-aws";
import { PLAN_READERS_GROUP } from "../modules/platform/plan-reader-names";

/** The workloads that get AWS permissions through EKS Pod Identity, by role id. */
export type WorkloadRoleId = "ebsCsiDriver" | "cloudwatchAgent" | "loadBalancerController" | "externalSecrets" | "api" | "frontend" | "metricsMigrations";

/** Namespace and service account of each workload (the charts and manifests of later stacks use the same). */
export const WORKLOAD_SERVICE_ACCOUNTS: Readonly<Record<WorkloadRoleId, { readonly namespace: string; readonly serviceAccount: string }>> = {
  ebsCsiDriver: { namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa" },
  cloudwatchAgent: CLOUDWATCH_AGENT,
  loadBalancerController: { namespace: "kube-system", serviceAccount: "aws-load-balancer-controller" },
  externalSecrets: { namespace: "external-secrets", serviceAccount: "external-secrets" },
  api: { namespace: APP_NAMESPACE, serviceAccount: "api" },
  frontend: { namespace: APP_NAMESPACE, serviceAccount: "frontend" },
  metricsMigrations: { namespace: APP_NAMESPACE, serviceAccount: "metrics-migrations" },
};

/**
 * Namespaces of the platform stack's Helm releases: a plan reads each release's Secret there (Helm's storage), so
 * the plan role may read Secrets in these namespaces and nowhere else (never the application's).
 */
export const HELM_RELEASE_NAMESPACES: readonly string[] = [
  ...new Set([KARPENTER_NAMESPACE, WORKLOAD_SERVICE_ACCOUNTS.loadBalancerController.namespace, "kube-system", WORKLOAD_SERVICE_ACCOUNTS.externalSecrets.namespace]),
];

/**
 * `<env>-cluster`: the EKS control plane, the system node group, the EKS add-ons, the Pod Identity roles of the
 * platform's workloads, Karpenter's AWS side, and the cluster's access to the metrics database and the warehouse.
 */
export class ClusterStack extends EnvironmentStack {
  readonly cluster: EksCluster;
  readonly systemNodes: SystemNodeGroup;
  readonly karpenter: KarpenterAws;
  readonly workloadRoles: Readonly<Record<WorkloadRoleId, PodIdentityRole>>;
  /** The role each application's SecretStore reads its secrets with (external-secrets assumes it). */
  readonly secretReaders: Readonly<Record<SecretOwner, IamRole>>;
  /** The role the API acts on customer data with, one tenant per session. */
  readonly apiTenantRole: TenantScopedRole;
  /** The role the front-end reads the dashboard with, one tenant per session. */
  readonly frontendTenantRole: TenantScopedRole;
  /** Container Insights: the cluster's metrics and container logs. */
  readonly containerInsights: ContainerInsights;
  /** Human access to the private endpoints (Session Manager port forwarding). */
  readonly sessionHost: SessionHost;

  constructor(scope: Construct, env: EnvironmentConfig, network: Network, data: DataStack, alerts: AlarmDestination, tooling?: ToolingConfig) {
    const apiClientCidrs = tooling ? atlantisSubnetCidrs(tooling) : [];
    super(scope, "cluster", env, { apiClientCidrs });
    const config = env.cluster;
    const name = clusterName(env);

    this.cluster = new EksCluster(this, "eks", {
      clusterName: name,
      kubernetesVersion: config.kubernetesVersion,
      accountId: env.awsAccountId,
      region: env.region,
      vpcId: network.vpcId,
      subnetIds: network.privateSubnets.ids,
      endpointPublicAccess: config.endpointPublicAccess,
      publicAccessCidrs: config.publicAccessCidrs,
      secretsKey: data.keys.secrets,
      logsKey: data.keys.logs,
      logRetentionDays: config.logRetentionDays,
      upgradeSupportType: config.upgradeSupportType,
      deletionProtection: env.protection.deletionProtection,
      accessGrants: [
        // The deploy role applies the in-cluster stacks; the platform admins and break-glass administer the cluster.
        ...(["deploy", "platformAdmin", "breakGlass"] as const).map((kind) => ({ principalArn: identityRoleArn(env, kind), policy: "admin" as const })),
        { principalArn: identityRoleArn(env, "developer"), policy: "viewer" },
        // Plans refresh everything (view) and read the Helm releases' Secrets (admin view, their namespaces only).
        { principalArn: identityRoleArn(env, "plan"), policy: "viewer" },
        { principalArn: identityRoleArn(env, "plan"), policy: "adminViewer", namespaces: HELM_RELEASE_NAMESPACES },
        ...config.adminRoleArns.map((principalArn) => ({ principalArn, policy: "admin" as const })),
        ...config.viewerRoleArns.map((principalArn) => ({ principalArn, policy: "viewer" as const })),
      ],
      // The view policies leave out custom resources and admission policies, which plans refresh too.
      accessEntryGroups: { [identityRoleArn(env, "plan")]: [PLAN_READERS_GROUP] },
    });
    for (const [index, cidr] of apiClientCidrs.entries()) {
      this.cluster.securityGroups.controlPlane.allowFromCidr(`atlantis-${index}`, cidr, 443, "Kubernetes API from Atlantis (tooling VPC, through the peering)");
    }
    const nodeSecurityGroup = this.cluster.securityGroups.nodes;

    // The VPC CNI's own role, associated by its add-on (so the association exists before aws-node starts).
    const vpcCniRole = new IamRole(this, "vpc-cni-role", {
      roleName: workloadRoleName(env, "vpcCni"),
      description: "VPC CNI (kube-system/aws-node): assign the pods' addresses and network interfaces",
      trust: [podIdentityTrust({ accountId: env.awsAccountId, clusterArn: this.cluster.arn, ...VPC_CNI_SERVICE_ACCOUNT })],
      managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"],
    });
    const addons = new ClusterAddons(this, "addons", { cluster: this.cluster, versions: config.addons, vpcCniRoleArn: vpcCniRole.arn });
    vpcCniRole.grantsBefore(addons.vpcCni);
    this.systemNodes = new SystemNodeGroup(this, "system-nodes", {
      cluster: this.cluster,
      kubernetesVersion: config.kubernetesVersion,
      accountId: env.awsAccountId,
      subnetIds: network.privateSubnets.ids,
      nodeSecurityGroupId: nodeSecurityGroup.id,
      ...config.systemNodes,
      dependsOn: addons.beforeNodes,
    });

    const role = (id: WorkloadRoleId, description: string, managedPolicyArns?: string[]) =>
      new PodIdentityRole(this, `role-${id}`, {
        roleName: workloadRoleName(env, id),
        description,
        cluster: this.cluster,
        accountId: env.awsAccountId,
        ...WORKLOAD_SERVICE_ACCOUNTS[id],
        managedPolicyArns,
      });
    this.workloadRoles = {
      // Scoped to this cluster's volumes, snapshots and nodes (their ebs.csi.aws.com/cluster-name or eks:cluster-name tag).
      ebsCsiDriver: role("ebsCsiDriver", "EBS CSI driver: create, attach and delete this cluster's volumes", [
        "arn:aws:iam::aws:policy/AmazonEBSCSIDriverEKSClusterScopedPolicy",
      ]),
      cloudwatchAgent: role("cloudwatchAgent", "CloudWatch agent and Fluent Bit: Container Insights metrics and container logs", [
        "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
      ]),
      loadBalancerController: role("loadBalancerController", "AWS Load Balancer Controller: ALBs, target groups and their security groups for ingresses"),
      externalSecrets: role("externalSecrets", "external-secrets: read the environment's application secrets"),
      api: role("api", "FastAPI: uploads, results, analysis executions, metrics database as the api user"),
      frontend: role("frontend", "Django front-end: the dashboard through its tenant sessions, its own database as the frontend user"),
      metricsMigrations: role("metricsMigrations", "The metrics database's migrations job: the master user through the proxy, with an IAM token"),
    };
    addons.addAfterNodes(this.systemNodes.nodeGroup, this.workloadRoles.ebsCsiDriver.association);
    this.containerInsights = new ContainerInsights(this, "container-insights", {
      cluster: this.cluster,
      version: config.addons.cloudwatchObservability,
      logsKey: data.keys.logs,
      logRetentionDays: config.logRetentionDays,
      dependsOn: [this.systemNodes.nodeGroup, this.workloadRoles.cloudwatchAgent.association],
    });
    this.containerInsights.addAlarms(alerts, { failedNodes: env.observability.alarms.failedNodes });
    // A shell in an application pod is an intrusion or an operator's emergency: either way, everyone should know.
    new SecurityAlarms(this, "security-alarms", {
      destination: alerts,
      logGroupName: this.cluster.logGroup.name,
      signals: [execSignal(APP_NAMESPACE), rbacChangeSignal({ accountId: env.awsAccountId, deployRoleName: identityRoleName(this.namePrefix, "deploy") })],
    });

    // What the workloads may do, known at this layer; the pipeline adds the API's Step Functions and queue rights.
    // external-secrets reads no secret itself: each application's SecretStore names a role that reads only that
    // application's secrets (`<prefix>/<app>/*`), which the controller assumes for that store.
    const externalSecretsRole = this.workloadRoles.externalSecrets;
    this.secretReaders = Object.fromEntries(
      SECRET_OWNERS.map((app) => [
        app,
        new IamRole(this, `secrets-${app}`, {
          roleName: secretReaderRoleName(env, app),
          description: `external-secrets, for the ${app} SecretStore: read ${app}'s secrets only`,
          // EKS Pod Identity's session tags are transitive: assuming a role from its session passes them along.
          trust: [{ Sid: "ExternalSecretsController", Effect: "Allow", Principal: { AWS: externalSecretsRole.arn }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
          statements: [
            {
              Sid: "ReadOwnSecrets",
              Effect: "Allow",
              Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy", "secretsmanager:ListSecretVersionIds"],
              Resource: `arn:aws:secretsmanager:${env.region}:${env.awsAccountId}:secret:${secretPrefix(env, app)}*`,
            },
            {
              Sid: "DecryptThroughSecretsManager",
              Effect: "Allow",
              Action: "kms:Decrypt",
              Resource: data.keys.secrets.arn,
              Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${env.region}.amazonaws.com` } },
            },
          ],
        }),
      ]),
    ) as Record<SecretOwner, IamRole>;
    externalSecretsRole.addToPolicy({
      Sid: "AssumeApplicationSecretReaders",
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Resource: SECRET_OWNERS.map((app) => this.secretReaders[app].arn),
    });
    const loadBalancerPolicy = new ManagedPolicy(this, "load-balancer-controller-policy", {
      policyName: `${name}-load-balancer-controller`,
      description: "AWS Load Balancer Controller v3.5.0 published policy",
      statements: loadBalancerControllerStatements(name, [`arn:aws:ec2:${env.region}:${env.awsAccountId}:security-group/${nodeSecurityGroup.id}`]),
    });
    this.workloadRoles.loadBalancerController.attachManagedPolicy(loadBalancerPolicy.arn);
    suppressGuardrail(
      loadBalancerPolicy,
      "iam-resource-wildcard",
      "AWS Load Balancer Controller's published policy: it creates and changes load balancers, listeners, rules and " +
        "security groups whose ARNs do not exist before it runs; mutations of existing ones require the " +
        "elbv2.k8s.aws/cluster tag where the APIs support tag conditions",
    );
    // The API touches customer data only through tenant sessions (the tenant of the signed-in user), which see that
    // tenant's keys alone; its presigned POSTs are signed with such a session, so they carry the same limit.
    this.apiTenantRole = new TenantScopedRole(this, "api-tenant-role", {
      roleName: tenantRoleName(workloadRoleName(env, "api")),
      description: "FastAPI, one tenant per session: that tenant's uploads, manifests and results only",
      assumedBy: this.workloadRoles.api,
    });
    for (const prefix of [UPLOADS_PREFIX, MANIFEST_PREFIX]) {
      data.buckets.uploads.grantPut(this.apiTenantRole, sessionTenantPrefix(prefix));
      data.buckets.uploads.grantRead(this.apiTenantRole, sessionTenantPrefix(prefix));
    }
    data.buckets.results.grantRead(this.apiTenantRole, sessionTenantPrefix(ANALYSIS_PREFIX));
    data.proxy.grantConnect(this.workloadRoles.api, "api");
    // The dashboard's readers: each tenant its own warehouse user, whose rows the views' row-level security filters.
    this.frontendTenantRole = new TenantScopedRole(this, "frontend-tenant-role", {
      roleName: tenantRoleName(workloadRoleName(env, "frontend")),
      description: "Django front-end, one tenant per session: sign in to the warehouse as that tenant's dashboard user only",
      assumedBy: this.workloadRoles.frontend,
    });
    data.warehouse.grantTenantSignIn(this.frontendTenantRole, { userPrefix: TENANT_USER_PREFIX, group: DASHBOARD_TENANTS_GROUP });
    // Django keeps its own tables (users, sessions) in the `webapp` database of the same instance.
    data.proxy.grantConnect(this.workloadRoles.frontend, "frontend");
    // The migrations create users, a database and tables: they run as the master user (its proxy auth requires IAM).
    data.proxy.grantConnect(this.workloadRoles.metricsMigrations, env.data.postgres.masterUsername);

    this.karpenter = new KarpenterAws(this, "karpenter", {
      namePrefix: this.namePrefix,
      cluster: this.cluster,
      accountId: env.awsAccountId,
      region: env.region,
      queueKey: data.keys.messaging,
    });

    // Pods (VPC CNI: they share the nodes' security group) reach the metrics database's proxy and the warehouse.
    data.proxy.allowClient(this, "eks-nodes", nodeSecurityGroup.id, "PostgreSQL from EKS nodes and pods");
    data.warehouse.allowClient(this, "eks-nodes", nodeSecurityGroup.id, "Redshift from EKS nodes and pods");

    // People reach the private EKS API and the proxy only through Session Manager port forwarding, via this host.
    this.sessionHost = new SessionHost(this, "session-host", {
      namePrefix: this.namePrefix,
      vpcId: network.vpcId,
      subnetId: network.privateSubnets.ids[0],
      instanceType: config.sessionHost.instanceType,
      logsKey: data.keys.logs,
      logRetentionDays: config.logRetentionDays,
      logDeletionProtection: env.protection.deletionProtection,
      endpointSecurityGroupId: network.endpointSecurityGroupId,
      s3PrefixListId: network.s3PrefixListId,
    });
    const sessions = this.sessionHost.securityGroup;
    sessions.allowTo("eks-api", this.cluster.securityGroups.controlPlane.id, 443, "Port forwarding to the Kubernetes API");
    this.cluster.securityGroups.controlPlane.allowFrom("session-host-https", sessions.id, 443, "Kubernetes API from the session host (port forwarding)");
    sessions.allowTo("metrics-proxy", data.proxy.securityGroup.id, 5432, "Port forwarding to the metrics database's proxy");
    data.proxy.allowClient(this, "session-host", sessions.id, "PostgreSQL from the session host (port forwarding)");

    const outputs: Record<string, [string, string]> = {
      "session-host-id": [this.sessionHost.instanceId, "Target of aws ssm start-session (port forwarding to the EKS API and the proxy)"],
      "cluster-name": [this.cluster.name, "EKS cluster name"],
      "cluster-endpoint": [this.cluster.endpoint, "Kubernetes API endpoint"],
      "cluster-oidc-issuer": [this.cluster.oidcIssuer, "OIDC issuer URL"],
      "karpenter-node-role-name": [this.karpenter.nodeRole.name, "Role of the nodes Karpenter launches"],
      "karpenter-interruption-queue": [this.karpenter.interruptionQueue.name, "Karpenter interruption queue"],
      "node-security-group-id": [nodeSecurityGroup.id, "Security group of every node and pod"],
      "api-tenant-role-arn": [this.apiTenantRole.arn, "Role the API opens tenant sessions with (TENANT_ROLE_ARN)"],
      "frontend-tenant-role-arn": [this.frontendTenantRole.arn, "Role the front-end opens tenant sessions with (DASHBOARD_TENANT_ROLE_ARN)"],
      ...Object.fromEntries(
        Object.entries(this.workloadRoles).map(([id, workloadRole]) => [`${id}-role-arn`, [workloadRole.arn, `Pod Identity role of ${id}`] as [string, string]]),
      ),
    };
    for (const [id, [value, description]] of Object.entries(outputs)) new TerraformOutput(this, id, { value, description });
  }
}
