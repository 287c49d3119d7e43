import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { EnvironmentConfig } from "../environments";
import { ALB_LOG_PREFIX, AlbLogBucket } from "../modules/apps/alb-log-bucket";
import { AppNetworkPolicies } from "../modules/apps/app-network-policies";
import { MetricsMigrationsJob } from "../modules/apps/metrics-migrations-job";
import { MigrationJob } from "../modules/apps/migration-job";
import { PublicIngress } from "../modules/apps/public-ingress";
import { POD_IP_VARIABLE, componentSelector } from "../modules/apps/restricted-pod";
import { SiteCertificate } from "../modules/apps/site-certificate";
import { AppSecretStore } from "../modules/apps/app-secret-store";
import { SyncedSecret } from "../modules/apps/synced-secret";
import { WebAcl } from "../modules/apps/web-acl";
import { WebWorkload } from "../modules/apps/web-workload";
import { Network } from "../modules/network/network";
import { ClusterProviders } from "../modules/platform/cluster-providers";
import { ClusterStack, WORKLOAD_SERVICE_ACCOUNTS } from "./cluster-stack";
import { DataStack } from "./data-stack";
import { EnvironmentStack } from "./environment-stack";
import { APP_NAMESPACE, SECRET_OWNERS, SecretOwner, secretPrefix } from "./naming";
import { PipelineStack } from "./pipeline-stack";
import { DASHBOARD_TENANTS_GROUP, TENANT_USER_PREFIX } from "../modules/data/dashboard-names";
import { ANALYSIS_PREFIX, MANIFEST_PREFIX, MAX_UPLOAD_BYTES, PRESIGNED_MAX_AGE_SECONDS, UPLOAD_CONTENT_TYPES, UPLOADS_PREFIX } from "../modules/pipeline/analysis-contract";

/** ConfigMap every application pod reads its environment from. */
export const APP_CONFIG_MAP = "platform-config";
/** Kubernetes Secret holding Django's secret key, and its key. */
export const DJANGO_SECRET = { name: "django-secret-key", key: "secret-key" } as const;
/** Component label of the metrics migrations job's pods (their NetworkPolicy reaches the proxy only). */
export const METRICS_MIGRATIONS_COMPONENT = "metrics-migrations";
/** Django's own database (users, sessions), next to `metrics` on the same instance and outside the zero-ETL filter. */
export const DJANGO_DATABASE = "webapp";

/**
 * `<env>-apps`: the FastAPI API and the Django front-end in the `proteomics` namespace, their configuration and
 * secret, Django's migrations, the NetworkPolicies of the namespace, and the public entry: the ALB (through the
 * load balancer controller) with its certificate, web ACL and access logs.
 */
export class AppsStack extends EnvironmentStack {
  constructor(scope: Construct, env: EnvironmentConfig, network: Network, data: DataStack, cluster: ClusterStack, pipeline: PipelineStack) {
    super(scope, "apps", env);
    const { apps } = env;
    new ClusterProviders(this, "cluster-access", { cluster: cluster.cluster, region: env.region, helm: false });

    // What both workloads need to know of the other layers, as environment variables.
    const configMap = new ConfigMapV1(this, "config", {
      metadata: { name: APP_CONFIG_MAP, namespace: APP_NAMESPACE },
      data: {
        AWS_REGION: env.region,
        APP_DOMAIN: apps.domain,
        UPLOADS_BUCKET: data.buckets.uploads.name,
        UPLOADS_PREFIX,
        // What each presigned POST's policy bounds (the bucket refuses presigned PUTs and older signatures).
        UPLOAD_MAX_BYTES: String(MAX_UPLOAD_BYTES),
        UPLOAD_CONTENT_TYPES: UPLOAD_CONTENT_TYPES.join(","),
        PRESIGNED_MAX_AGE_SECONDS: String(PRESIGNED_MAX_AGE_SECONDS),
        MANIFEST_PREFIX,
        RESULTS_BUCKET: data.buckets.results.name,
        ANALYSIS_PREFIX,
        // Customer data only through sessions of this role tagged tenant=<the signed-in user's tenant>.
        TENANT_ROLE_ARN: cluster.apiTenantRole.arn,
        STATE_MACHINE_ARN: pipeline.stateMachine.arn,
        STATUS_QUEUE_URL: pipeline.status.statusQueue.url,
        DB_HOST: data.proxy.endpoint,
        DB_PORT: String(data.database.port),
        DB_NAME: data.database.databaseName,
        DB_SSLMODE: "verify-full",
        REDSHIFT_CLUSTER_ID: data.warehouse.identifier,
        REDSHIFT_DATABASE: data.warehouse.databaseName,
        // The dashboard: GetClusterCredentials(DbUser=<prefix><tenant>, AutoCreate, DbGroups=[group]) with a session of
        // this role tagged with the signed-in user's tenant, then TLS to the warehouse; its views show that tenant's rows.
        REDSHIFT_HOST: data.warehouse.host,
        REDSHIFT_PORT: String(data.warehouse.port),
        DASHBOARD_TENANT_ROLE_ARN: cluster.frontendTenantRole.arn,
        DASHBOARD_TENANT_USER_PREFIX: TENANT_USER_PREFIX,
        DASHBOARD_TENANTS_GROUP,
      },
    });
    const configMapName = configMap.metadata.name;
    // One SecretStore per application, each reading only that application's secrets through its own role.
    const secretStores = Object.fromEntries(
      SECRET_OWNERS.map((app) => [
        app,
        new AppSecretStore(this, `secret-store-${app}`, {
          namespace: APP_NAMESPACE,
          app,
          region: env.region,
          secretPrefix: secretPrefix(env, app),
          readerRoleArn: cluster.secretReaders[app].arn,
        }),
      ]),
    ) as Record<SecretOwner, AppSecretStore>;
    const djangoSecret = new SyncedSecret(this, "django-secret", {
      secretName: `${secretPrefix(env, "frontend")}django-secret-key`,
      description: "Django SECRET_KEY of the front-end (value generated once, see docs/provisioning.md)",
      encryptionKey: data.keys.secrets,
      recoveryWindowDays: apps.secretRecoveryDays,
      preventDestroy: env.protection.preventDestroy,
      namespace: APP_NAMESPACE,
      kubernetesSecretName: DJANGO_SECRET.name,
      kubernetesKey: DJANGO_SECRET.key,
      store: secretStores.frontend,
      addressName: "django_secret_key",
    });

    // The namespace's NetworkPolicies exist before any application pod starts.
    const cidrsOf = (tier: string) => network.plan.filter((subnet) => subnet.tier === tier).map((subnet) => subnet.cidr);
    const networkPolicies = new AppNetworkPolicies(this, "network-policies", {
      namespace: APP_NAMESPACE,
      api: { selector: componentSelector("api"), port: apps.api.port },
      frontend: { selector: componentSelector("frontend"), port: apps.frontend.port },
      migrations: { selector: componentSelector(METRICS_MIGRATIONS_COMPONENT) },
      albSubnetCidrs: cidrsOf("public"),
      database: { cidrs: cidrsOf("isolated"), port: data.database.port },
      warehouse: { cidrs: cidrsOf("isolated"), port: data.warehouse.port },
    });

    // The service accounts the cluster stack bound to the workloads' Pod Identity roles.
    const serviceAccountOf = (workload: "api" | "frontend" | "metricsMigrations") => {
      const { namespace, serviceAccount } = WORKLOAD_SERVICE_ACCOUNTS[workload];
      return new ServiceAccountV1(this, `${workload}-service-account`, {
        metadata: { name: serviceAccount, namespace, labels: { "app.kubernetes.io/part-of": "proteomics" } },
        automountServiceAccountToken: false,
      }).metadata.name;
    };
    // The metrics database's schema, before anything that uses it: the API, and Django's migrations (its database).
    const metricsMigrations = new MetricsMigrationsJob(this, "metrics-migrations", {
      namespace: APP_NAMESPACE,
      serviceAccountName: serviceAccountOf("metricsMigrations"),
      component: METRICS_MIGRATIONS_COMPONENT,
      nodePool: "web",
      proxy: { endpoint: data.proxy.endpoint, port: data.database.port, region: env.region },
      databaseName: data.database.databaseName,
      databaseUser: env.data.postgres.masterUsername,
      dependsOn: networkPolicies.policies,
    });
    const image = (repository: "api" | "frontend", tag: string) => `${data.repositories[repository].url}:${tag}`;
    const common = { namespace: APP_NAMESPACE, configMapName, nodePool: "web" };
    const frontendEnvironment = {
      serviceAccountName: serviceAccountOf("frontend"),
      environment: {
        DJANGO_DB_NAME: DJANGO_DATABASE,
        DB_USER: "frontend",
        // The public name, and the pod's own address: kubelet probes and the ALB's health checks send Host: <pod IP>:<port>.
        DJANGO_ALLOWED_HOSTS: `${apps.domain},$(${POD_IP_VARIABLE})`,
        API_URL: `http://api.${APP_NAMESPACE}.svc.cluster.local:${apps.api.port}`,
      },
      secretEnvironment: { DJANGO_SECRET_KEY: { secret: DJANGO_SECRET.name, key: DJANGO_SECRET.key } },
    };
    const migrations = new MigrationJob(this, "frontend-migrations", {
      ...common,
      ...frontendEnvironment,
      name: "frontend-migrate",
      component: "frontend",
      releaseTag: apps.frontend.imageTag,
      image: image("frontend", apps.frontend.imageTag),
      command: ["python", "manage.py", "migrate", "--noinput"],
      requests: apps.frontend.requests,
      limits: apps.frontend.limits,
      dependsOn: [...networkPolicies.policies, djangoSecret.externalSecret, metricsMigrations.job],
    });
    const api = new WebWorkload(this, "api", {
      ...common,
      ...apps.api,
      name: "api",
      image: image("api", apps.api.imageTag),
      serviceAccountName: serviceAccountOf("api"),
      environment: { DB_USER: "api" },
      dependsOn: [...networkPolicies.policies, metricsMigrations.job],
    });
    const frontend = new WebWorkload(this, "frontend", {
      ...common,
      ...apps.frontend,
      ...frontendEnvironment,
      name: "frontend",
      image: image("frontend", apps.frontend.imageTag),
      // A new front-end version serves traffic only after its migrations ran (and so after the policies and secret).
      dependsOn: [migrations.job],
    });

    const albLogs = new AlbLogBucket(this, "alb-logs", {
      bucketName: `${this.namePrefix}-alb-logs-${env.awsAccountId}`,
      accountId: env.awsAccountId,
      region: env.region,
      retentionDays: apps.logRetentionDays,
      accessLogs: data.buckets.accessLogs,
      preventDestroy: env.protection.preventDestroy,
    });
    const certificate = new SiteCertificate(this, "certificate", {
      domain: apps.domain,
      hostedZoneId: apps.hostedZoneId,
      addressName: "site_certificate",
    });
    const webAcl = new WebAcl(this, "web-acl", {
      namePrefix: this.namePrefix,
      rateLimit: apps.wafRateLimit,
      logsKey: data.keys.logs,
      logDeletionProtection: env.protection.deletionProtection,
      logRetentionDays: apps.logRetentionDays,
    });
    const ingress = new PublicIngress(this, "ingress", {
      name: "web",
      namespace: APP_NAMESPACE,
      domain: apps.domain,
      certificateArn: certificate.arn,
      hostedZoneId: apps.hostedZoneId,
      webAclArn: webAcl.arn,
      accessLogBucket: albLogs.name,
      accessLogPrefix: ALB_LOG_PREFIX,
      accessLogBucketPolicy: albLogs.policy,
      deletionProtection: env.protection.deletionProtection,
      tags: { Project: env.project, Environment: env.name, ManagedBy: "aws-load-balancer-controller", Owner: env.tags.owner, CostCenter: env.tags.costCenter },
      routes: [
        { path: "/api", serviceName: api.serviceName, port: api.port },
        { path: "/", serviceName: frontend.serviceName, port: frontend.port },
      ],
    });

    const outputs: Record<string, [string, string]> = {
      "site-url": [`https://${apps.domain}`, "Public URL of the application"],
      "load-balancer-hostname": [ingress.loadBalancerHostname, "DNS name of the ALB (the site's CNAME target)"],
      "certificate-validation-record": [
        `${certificate.validationRecord.name} ${certificate.validationRecord.type} ${certificate.validationRecord.value}`,
        "DNS record that validates the certificate (create it by hand when no hosted zone is configured)",
      ],
      "django-secret-arn": [djangoSecret.arn, "Secrets Manager secret of Django's SECRET_KEY"],
    };
    for (const [id, [value, description]] of Object.entries(outputs)) new TerraformOutput(this, id, { value, description });
  }
}
