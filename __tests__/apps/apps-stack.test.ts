import { ANALYSIS_PREFIX, MANIFEST_PREFIX, MAX_UPLOAD_BYTES, PRESIGNED_MAX_AGE_SECONDS, UPLOAD_CONTENT_TYPES, UPLOADS_PREFIX } from "../../modules/pipeline/analysis-contract";
import { ALB_TLS_POLICY } from "../../modules/apps/public-ingress";
import { CERTIFICATE_VALIDATION_TIMEOUT } from "../../modules/apps/site-certificate";
import { DEREGISTRATION_DELAY_SECONDS, PRE_STOP_SECONDS } from "../../modules/apps/web-workload";
import { APP_USER_ID, COMPONENT_LABEL } from "../../modules/apps/restricted-pod";
import { INCLUDED_WEB_ACL_CAPACITY, MANAGED_RULE_GROUPS, MANAGED_RULE_GROUP_CAPACITY, RATE_BASED_RULE_CAPACITY } from "../../modules/apps/web-acl";
import { POD_IDENTITY_AGENT } from "../../modules/apps/app-network-policies";
import { ELB_LOG_DELIVERY_ACCOUNTS } from "../../modules/apps/alb-log-bucket";
import { NODE_POOL_LABEL } from "../../modules/karpenter/node-pool";
import * as fs from "node:fs";
import * as path from "node:path";
import { MIGRATION_IMAGES } from "../../modules/apps/metrics-migrations-job";
import { METRICS_MIGRATIONS_DIR, MIGRATION_RUNNER, metricsMigrations } from "../../modules/data/metrics-schema";
import { APP_CONFIG_MAP, DJANGO_DATABASE, DJANGO_SECRET, METRICS_MIGRATIONS_COMPONENT } from "../../stacks/apps-stack";
import { WORKLOAD_SERVICE_ACCOUNTS } from "../../stacks/cluster-stack";
import { APP_NAMESPACE, SECRET_OWNERS } from "../../stacks/naming";
import { ENVIRONMENT_NAMES, environment } from "../helpers/environments";
import { StackJson, bucketConfig, bucketId, onlyResource, referenceTo as ref, resolveCrossStack, resourcesOf, synthesizedStacks } from "../helpers/synth";

const WORKLOADS = ["api", "frontend"] as const;

/** Resources of a Kubernetes type by `metadata.name`. */
function byName(stack: StackJson, type: string): Record<string, StackJson> {
  return Object.fromEntries(Object.values(resourcesOf(stack, type)).map((resource) => [resource.metadata.name, resource]));
}

describe.each(ENVIRONMENT_NAMES)("%s-apps", (name) => {
  const env = environment(name);
  const stacks = synthesizedStacks(name);
  const stack = stacks[`${name}-apps`];
  const output = (stackName: string, id: string) => stacks[`${name}-${stackName}`].output[id].value;
  const resolve = (value: string) => resolveCrossStack(stacks, value);
  const deployments = byName(stack, "kubernetes_deployment_v1");
  const jobs = Object.entries(resourcesOf(stack, "kubernetes_job_v1"));
  const [jobId, job] = jobs.find(([, candidate]) => candidate.metadata.name.startsWith("frontend-migrate"))!;
  const [metricsJobId, metricsJob] = jobs.find(([, candidate]) => candidate.metadata.name.startsWith("metrics-migrate-"))!;
  const podSpec = (workload: StackJson) => workload.spec.template.spec;
  const containers = [...Object.values(deployments), job].map((workload) => [workload.metadata.name, podSpec(workload).container[0]] as const);
  const subnetCidrs = (tier: string) =>
    Object.values(resourcesOf(stacks[`${name}-network`], "aws_subnet"))
      .filter((subnet) => subnet.tags.Tier === tier)
      .map((subnet) => subnet.cidr_block);

  describe("workloads", () => {
    it.each(WORKLOADS)("%s: deployment, autoscaler and disruption budget follow the configuration", (workload) => {
      const config = env.apps[workload];
      const deployment = deployments[workload];
      expect(deployment.metadata.namespace).toBe(APP_NAMESPACE);
      expect(deployment.spec.replicas).toBe(String(config.minReplicas));
      expect(deployment.lifecycle.ignore_changes).toEqual(["spec[0].replicas"]);
      expect(deployment.spec.strategy.rolling_update).toEqual({ max_unavailable: "0", max_surge: "25%" });
      const autoscaler = byName(stack, "kubernetes_horizontal_pod_autoscaler_v2")[workload];
      expect(autoscaler.spec).toMatchObject({
        min_replicas: config.minReplicas,
        max_replicas: config.maxReplicas,
        scale_target_ref: { kind: "Deployment", name: expect.stringMatching(/^\$\{kubernetes_deployment_v1\..+\.metadata\[0\]\.name}$/) },
        metric: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", average_utilization: config.cpuTargetPercent } } }],
      });
      expect(byName(stack, "kubernetes_pod_disruption_budget_v1")[workload].spec).toEqual({
        max_unavailable: "1",
        selector: { match_labels: { "app.kubernetes.io/name": workload } },
      });
    });

    it.each(WORKLOADS)("%s: runs its release image from its ECR repository, as its Pod Identity service account, on the web pool, spread over zones", (workload) => {
      const spec = podSpec(deployments[workload]);
      expect(resolve(spec.container[0].image)).toBe(`${output("data", `${workload}-repository-url`)}:${env.apps[workload].imageTag}`);
      const { namespace, serviceAccount } = WORKLOAD_SERVICE_ACCOUNTS[workload];
      const [accountId, account] = Object.entries(resourcesOf(stack, "kubernetes_service_account_v1")).find(([, sa]) => sa.metadata.name === serviceAccount)!;
      expect(account).toMatchObject({ metadata: { namespace }, automount_service_account_token: false });
      expect(spec.service_account_name).toBe(`${ref("kubernetes_service_account_v1", accountId)}metadata[0].name}`);
      expect(spec.automount_service_account_token).toBe(false);
      expect(spec.node_selector).toEqual({ [NODE_POOL_LABEL]: "web" });
      expect(spec.topology_spread_constraint).toEqual([
        {
          max_skew: 1,
          topology_key: "topology.kubernetes.io/zone",
          when_unsatisfiable: "DoNotSchedule",
          label_selector: [{ match_labels: { "app.kubernetes.io/name": workload } }],
        },
      ]);
    });

    it.each(WORKLOADS)("%s: keeps serving while the ALB deregisters and drains it, then shuts down within its grace period", (workload) => {
      const spec = podSpec(deployments[workload]);
      const service = byName(stack, "kubernetes_service_v1")[workload];
      expect(service.metadata.annotations["alb.ingress.kubernetes.io/target-group-attributes"]).toBe(`deregistration_delay.timeout_seconds=${DEREGISTRATION_DELAY_SECONDS}`);
      const [preStop] = spec.container[0].lifecycle.pre_stop;
      expect(preStop.exec.command).toEqual(["sleep", String(PRE_STOP_SECONDS)]);
      // Longer than the drain, so the server still answers the last in-flight requests; then 30 s for its own shutdown.
      expect(PRE_STOP_SECONDS).toBeGreaterThan(DEREGISTRATION_DELAY_SECONDS);
      expect(spec.termination_grace_period_seconds).toBe(PRE_STOP_SECONDS + 30);
    });

    it("lets a migration job stop at once (nothing routes to it)", () => {
      expect(podSpec(job).container[0].lifecycle).toBeUndefined();
      expect(podSpec(job).termination_grace_period_seconds).toBe(30);
    });

    it.each(WORKLOADS)("%s: probes its configured health paths on its port", (workload) => {
      const { port, health } = env.apps[workload];
      const container = podSpec(deployments[workload]).container[0];
      expect(container.port).toEqual([{ name: "http", container_port: port, protocol: "TCP" }]);
      expect(container.liveness_probe.http_get).toEqual({ path: health.liveness, port: String(port) });
      expect(container.readiness_probe.http_get).toEqual({ path: health.readiness, port: String(port) });
      expect(container.startup_probe.http_get).toEqual({ path: health.startup, port: String(port) });
      // The startup probe gives a slow boot failure_threshold x period_seconds before liveness can restart it.
      expect(container.startup_probe.failure_threshold * container.startup_probe.period_seconds).toBeGreaterThanOrEqual(120);
      const service = byName(stack, "kubernetes_service_v1")[workload];
      expect(service.spec).toMatchObject({ type: "ClusterIP", port: [{ port, target_port: "http" }] });
      expect(service.metadata.annotations["alb.ingress.kubernetes.io/healthcheck-path"]).toBe(health.readiness);
    });

    it("run every container (migrations included) restricted, with the configured requests and limits and a writable /tmp only", () => {
      expect(containers.map(([workloadName]) => workloadName).sort()).toEqual(["api", "frontend", job.metadata.name].sort());
      for (const [workloadName, container] of containers) {
        const config = env.apps[workloadName === "api" ? "api" : "frontend"];
        expect(container.security_context).toEqual({
          run_as_non_root: true,
          run_as_user: String(APP_USER_ID),
          allow_privilege_escalation: false,
          read_only_root_filesystem: true,
          privileged: false,
          capabilities: { drop: ["ALL"] },
          seccomp_profile: { type: "RuntimeDefault" },
        });
        expect(container.resources).toEqual({ requests: config.requests, limits: config.limits });
        expect(container.volume_mount).toEqual([{ name: "tmp", mount_path: "/tmp" }]);
      }
      for (const workload of [...Object.values(deployments), job]) {
        expect(podSpec(workload).security_context).toMatchObject({ run_as_non_root: true, seccomp_profile: { type: "RuntimeDefault" } });
        expect(podSpec(workload).volume).toEqual([{ name: "tmp", empty_dir: { medium: "", size_limit: "1Gi" } }]);
      }
    });
  });

  describe("configuration and secret", () => {
    const configMap = byName(stack, "kubernetes_config_map_v1")[APP_CONFIG_MAP];

    it("hands both workloads the outputs of the other layers, by reference", () => {
      expect(configMap.metadata).toEqual({ name: APP_CONFIG_MAP, namespace: APP_NAMESPACE });
      const data = configMap.data;
      expect(resolve(data.UPLOADS_BUCKET)).toBe(output("data", "uploads-bucket"));
      expect(resolve(data.RESULTS_BUCKET)).toBe(output("data", "results-bucket"));
      expect(resolve(data.STATE_MACHINE_ARN)).toBe(output("pipeline", "state-machine-arn"));
      expect(resolve(data.STATUS_QUEUE_URL)).toBe(output("pipeline", "status-queue-url"));
      expect(resolve(data.DB_HOST)).toBe(output("data", "metrics-proxy-endpoint"));
      expect(data).toMatchObject({
        AWS_REGION: env.region,
        APP_DOMAIN: env.apps.domain,
        DB_PORT: "5432",
        DB_NAME: env.data.postgres.databaseName,
        DB_SSLMODE: "verify-full",
        REDSHIFT_CLUSTER_ID: `proteomics-${name}-analytics`,
        REDSHIFT_DATABASE: env.data.redshift.databaseName,
      });
      expect(onlyResource(stacks[`${name}-data`], "aws_redshift_cluster")).toMatchObject({
        cluster_identifier: data.REDSHIFT_CLUSTER_ID,
        database_name: data.REDSHIFT_DATABASE,
      });
      for (const [, container] of containers) {
        expect(container.env_from).toEqual([{ config_map_ref: { name: `${ref("kubernetes_config_map_v1", "config")}metadata[0].name}` } }]);
      }
    });

    it("hands the API its tenant role and the upload contract its presigned POSTs must sign (the buckets enforce the rest)", () => {
      const data = configMap.data;
      const [tenantRoleId] = Object.entries(resourcesOf(stacks[`${name}-cluster`], "aws_iam_role")).find(([, role]) => role.name === `proteomics-${name}-eks-api-tenant`)!;
      expect(resolve(data.TENANT_ROLE_ARN)).toBe(`${ref("aws_iam_role", tenantRoleId)}arn}`);
      expect(data).toMatchObject({
        UPLOADS_PREFIX,
        MANIFEST_PREFIX,
        ANALYSIS_PREFIX,
        UPLOAD_MAX_BYTES: String(MAX_UPLOAD_BYTES),
        UPLOAD_CONTENT_TYPES: UPLOAD_CONTENT_TYPES.join(","),
        PRESIGNED_MAX_AGE_SECONDS: String(PRESIGNED_MAX_AGE_SECONDS),
      });
    });

    it("gives each workload its own database user, and the front-end its database, API address and secret key", () => {
      const env_ = (workloadName: string) =>
        Object.fromEntries(containers.find(([n]) => n === workloadName)![1].env.map((variable: StackJson) => [variable.name, variable.value ?? variable.value_from]));
      const podIp = { field_ref: { field_path: "status.podIP" } };
      expect(env_("api")).toEqual({ POD_IP: podIp, DB_USER: "api" });
      const frontendEnvironment = {
        POD_IP: podIp,
        DB_USER: "frontend",
        DJANGO_DB_NAME: DJANGO_DATABASE,
        // Kubelet probes and ALB health checks send Host: <pod IP>:<port>; Django answers 400 to hosts it does not allow.
        DJANGO_ALLOWED_HOSTS: `${env.apps.domain},$(POD_IP)`,
        API_URL: `http://api.${APP_NAMESPACE}.svc.cluster.local:${env.apps.api.port}`,
        DJANGO_SECRET_KEY: { secret_key_ref: { name: DJANGO_SECRET.name, key: DJANGO_SECRET.key } },
      };
      expect(env_("frontend")).toEqual(frontendEnvironment);
      expect(env_(job.metadata.name)).toEqual(frontendEnvironment);
      // $(POD_IP) expands only when POD_IP is defined earlier in the list.
      for (const [, container] of containers) expect(container.env[0].name).toBe("POD_IP");
      expect(env.data.postgres.iamDatabaseUsers).toEqual(expect.arrayContaining(["api", "frontend"]));
    });

    it("keeps Django's secret key in an encrypted Secrets Manager secret, synced by external-secrets", () => {
      // A stable address: the provisioning guide's first apply targets it to set the value before anything reads it.
      expect(Object.keys(resourcesOf(stack, "aws_secretsmanager_secret"))).toEqual(["django_secret_key"]);
      const secret = onlyResource(stack, "aws_secretsmanager_secret");
      expect(secret.name).toBe(`proteomics-${name}/frontend/django-secret-key`);
      expect(resolve(secret.kms_key_id)).toMatch(/^\$\{aws_kms_key\.keys_secrets_key_[0-9A-F]+\.arn}$/);
      expect(secret.recovery_window_in_days).toBe(env.apps.secretRecoveryDays);
      expect(resourcesOf(stack, "aws_secretsmanager_secret_version")).toEqual({});
      const externalSecrets = Object.values(resourcesOf(stack, "kubernetes_manifest")).filter((resource) => resource.manifest.kind === "ExternalSecret");
      expect(externalSecrets).toHaveLength(1);
      expect(externalSecrets[0].manifest).toEqual({
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: DJANGO_SECRET.name, namespace: APP_NAMESPACE },
        spec: {
          refreshInterval: "1h",
          secretStoreRef: { kind: "SecretStore", name: "secrets-frontend" },
          target: { name: DJANGO_SECRET.name, creationPolicy: "Owner" },
          data: [{ secretKey: DJANGO_SECRET.key, remoteRef: { key: "${aws_secretsmanager_secret.django_secret_key.name}" } }],
        },
      });
    });

    it("reads each application's secrets through its own SecretStore and role, never the controller's identity", () => {
      const stores = Object.entries(resourcesOf(stack, "kubernetes_manifest")).filter(([, resource]) => resource.manifest.kind === "SecretStore");
      expect(stores.map(([, store]) => store.manifest.metadata)).toEqual(SECRET_OWNERS.map((app) => ({ name: `secrets-${app}`, namespace: APP_NAMESPACE })));
      for (const [index, [, store]] of stores.entries()) {
        const app = SECRET_OWNERS[index];
        expect(store.manifest.spec).toEqual({ provider: { aws: { service: "SecretsManager", region: env.region, role: expect.stringContaining(`secrets-${app}`) } } });
        expect(resolve(store.manifest.spec.provider.aws.role)).toMatch(/^\$\{aws_iam_role\.secrets-[a-z]+_role_[0-9A-F]+\.arn}$/);
      }
      const [storeId] = stores.find(([, store]) => store.manifest.metadata.name === "secrets-frontend")!;
      const externalSecret = Object.values(resourcesOf(stack, "kubernetes_manifest")).find((resource) => resource.manifest.kind === "ExternalSecret")!;
      expect(externalSecret.depends_on).toEqual([`kubernetes_manifest.${storeId}`]);
      expect(Object.values(resourcesOf(stack, "kubernetes_manifest")).some((resource) => resource.manifest.kind === "ClusterSecretStore")).toBe(false);
    });

    it("migrates the front-end's database once per release, after the policies and secret exist, before the release's pods start", () => {
      expect(job.metadata.name).toBe(`frontend-migrate-${env.apps.frontend.imageTag.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`);
      expect(job.metadata.labels[COMPONENT_LABEL]).toBe("frontend");
      expect(podSpec(job).container[0].command).toEqual(["python", "manage.py", "migrate", "--noinput"]);
      expect(podSpec(job).container[0].image).toBe(podSpec(deployments.frontend).container[0].image);
      expect(podSpec(job).restart_policy).toBe("Never");
      expect(job.wait_for_completion).toBe(true);
      const policies = Object.keys(resourcesOf(stack, "kubernetes_network_policy_v1")).map((id) => `kubernetes_network_policy_v1.${id}`).sort();
      const [externalSecretId] = Object.keys(resourcesOf(stack, "kubernetes_manifest"));
      expect(policies).toHaveLength(6);
      // Its database (webapp) is created by the metrics migrations, which run first.
      expect([...job.depends_on].sort()).toEqual([...policies, `kubernetes_manifest.${externalSecretId}`, `kubernetes_job_v1.${metricsJobId}`].sort());
      expect(deployments.frontend.depends_on).toEqual([`kubernetes_job_v1.${jobId}`]);
      expect([...deployments.api.depends_on].sort()).toEqual([...policies, `kubernetes_job_v1.${metricsJobId}`].sort());
      expect(podSpec(job).service_account_name).toBe(podSpec(deployments.frontend).service_account_name);
    });
  });

  describe("metrics migrations", () => {
    const spec = podSpec(metricsJob);
    const [init] = spec.init_container;
    const [migrate] = spec.container;
    const configMap = Object.values(resourcesOf(stack, "kubernetes_config_map_v1")).find((candidate) => candidate.metadata.name.startsWith("metrics-migrate-"))!;
    const envOf = (container: StackJson) => Object.fromEntries(container.env.map((variable: StackJson) => [variable.name, variable.value]));
    const files = [MIGRATION_RUNNER, ...metricsMigrations()];

    it("ship every migration and the runner, as written, in an immutable ConfigMap named after their hash, like the job", () => {
      expect(Object.keys(configMap.data).sort()).toEqual([...files].sort());
      for (const file of files) {
        const written = fs.readFileSync(path.join(METRICS_MIGRATIONS_DIR, file), "utf8");
        expect([file, configMap.data[file].replaceAll("$${", "${").replaceAll("%%{", "%{")]).toEqual([file, written]);
      }
      expect(configMap.immutable).toBe(true);
      expect(metricsJob.metadata.name).toMatch(/^metrics-migrate-[0-9a-f]{10}$/);
      expect(configMap.metadata.name).toBe(metricsJob.metadata.name);
      expect(spec.volume.find((volume: StackJson) => volume.name === "migrations").config_map.name).toMatch(/^\$\{kubernetes_config_map_v1\..+\.metadata\[0\]\.name\}$/);
    });

    it("run the runner with psql through the proxy as the master user, with an IAM token its init container signs, TLS verified", () => {
      const connection = {
        PGHOST: resolve(byName(stack, "kubernetes_config_map_v1")[APP_CONFIG_MAP].data.DB_HOST),
        PGPORT: "5432",
        PGDATABASE: env.data.postgres.databaseName,
        PGUSER: env.data.postgres.masterUsername,
      };
      expect({ ...envOf(init), PGHOST: resolve(envOf(init).PGHOST) }).toEqual({ ...connection, HOME: "/tmp" });
      expect({ ...envOf(migrate), PGHOST: resolve(envOf(migrate).PGHOST) }).toEqual({ ...connection, PGSSLMODE: "verify-full", PGSSLROOTCERT: "/shared/ca.pem" });
      expect(init.image).toBe(MIGRATION_IMAGES.awsCli);
      expect(init.command.join(" ")).toContain(`aws rds generate-db-auth-token --hostname "$PGHOST" --port "$PGPORT" --username "$PGUSER" --region ${env.region}`);
      expect(migrate.image).toBe(MIGRATION_IMAGES.postgres);
      expect(migrate.command).toEqual(["/bin/sh", "-c", `PGPASSWORD="$(cat /shared/token)" exec sh /migrations/${MIGRATION_RUNNER}`]);
      expect(spec.volume.find((volume: StackJson) => volume.name === "shared").empty_dir).toEqual({ medium: "Memory", size_limit: "1Mi" });
    });

    it("run restricted, once, and make the apply wait for it (a failed migration fails the apply)", () => {
      for (const container of [init, migrate]) {
        expect(container.security_context).toMatchObject({ run_as_non_root: true, read_only_root_filesystem: true, allow_privilege_escalation: false, capabilities: { drop: ["ALL"] } });
        expect(container.resources.limits).toBeDefined();
      }
      expect(spec.service_account_name).toBe(`\${kubernetes_service_account_v1.${Object.entries(resourcesOf(stack, "kubernetes_service_account_v1")).find(([, account]) => account.metadata.name === WORKLOAD_SERVICE_ACCOUNTS.metricsMigrations.serviceAccount)![0]}.metadata[0].name}`);
      expect(spec.restart_policy).toBe("Never");
      expect(spec.automount_service_account_token).toBe(false);
      expect(metricsJob.spec.backoff_limit).toBe(0);
      expect(metricsJob.wait_for_completion).toBe(true);
      expect(metricsJob.metadata.labels[COMPONENT_LABEL]).toBe(METRICS_MIGRATIONS_COMPONENT);
    });
  });

  describe("network policies", () => {
    const policies = Object.fromEntries(Object.values(byName(stack, "kubernetes_network_policy_v1")).map((policy) => [policy.metadata.name, policy.spec]));
    const cidrs = (tier: string) => subnetCidrs(tier).map((cidr) => ({ ip_block: { cidr } }));
    const tcp = (port: number) => [{ protocol: "TCP", port: String(port) }];
    const pods = (component: string) => ({ pod_selector: { match_labels: { [COMPONENT_LABEL]: component } } });
    const https = { to: [{ ip_block: { cidr: "0.0.0.0/0" } }], ports: tcp(443) };
    const database = { to: cidrs("isolated"), ports: tcp(5432) };

    it("deny everything in the namespace, then allow DNS and Pod Identity credentials to every pod", () => {
      expect(Object.keys(policies).sort()).toEqual(["allow-dns", "allow-pod-identity", "api", "default-deny", "frontend", "metrics-migrations"]);
      expect(policies["default-deny"]).toEqual({ pod_selector: {}, policy_types: ["Ingress", "Egress"], ingress: [], egress: [] });
      expect(policies["allow-dns"]).toEqual({
        pod_selector: {},
        policy_types: ["Egress"],
        egress: [
          {
            to: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "kube-system" } }, pod_selector: { match_labels: { "k8s-app": "kube-dns" } } }],
            ports: [
              { protocol: "UDP", port: "53" },
              { protocol: "TCP", port: "53" },
            ],
          },
        ],
      });
      expect(policies["allow-pod-identity"]).toEqual({
        pod_selector: {},
        policy_types: ["Egress"],
        egress: [{ to: [{ ip_block: { cidr: POD_IDENTITY_AGENT.cidr } }], ports: tcp(POD_IDENTITY_AGENT.port) }],
      });
    });

    it("let the ALB's subnets and the front-end reach the API, which reaches only AWS APIs and the metrics database", () => {
      expect(subnetCidrs("public")).toHaveLength(env.network.availabilityZones.length);
      expect(policies.api).toEqual({
        pod_selector: { match_labels: { [COMPONENT_LABEL]: "api" } },
        policy_types: ["Ingress", "Egress"],
        ingress: [{ from: [...cidrs("public"), pods("frontend")], ports: tcp(env.apps.api.port) }],
        egress: [https, database],
      });
    });

    it("let the metrics migrations reach the metrics database's proxy, and nothing else", () => {
      expect(policies["metrics-migrations"]).toEqual({
        pod_selector: { match_labels: { [COMPONENT_LABEL]: METRICS_MIGRATIONS_COMPONENT } },
        policy_types: ["Egress"],
        egress: [database],
      });
    });

    it("let the ALB's subnets reach the front-end, which reaches AWS APIs, the metrics database, the warehouse and the API", () => {
      expect(policies.frontend).toEqual({
        pod_selector: { match_labels: { [COMPONENT_LABEL]: "frontend" } },
        policy_types: ["Ingress", "Egress"],
        ingress: [{ from: cidrs("public"), ports: tcp(env.apps.frontend.port) }],
        egress: [https, database, { to: cidrs("isolated"), ports: tcp(5439) }, { to: [pods("api")], ports: tcp(env.apps.api.port) }],
      });
      const warehouse = onlyResource(stacks[`${name}-data`], "aws_redshift_cluster");
      expect(warehouse.port ?? 5439).toBe(5439);
    });
  });

  describe("public entry", () => {
    const ingress = onlyResource(stack, "kubernetes_ingress_v1");
    const annotations = ingress.metadata.annotations;
    const [aclId, acl] = Object.entries(resourcesOf(stack, "aws_wafv2_web_acl"))[0];
    const [certificateId, certificate] = Object.entries(resourcesOf(stack, "aws_acm_certificate"))[0];
    const [validationId, validation] = Object.entries(resourcesOf(stack, "aws_acm_certificate_validation"))[0];
    const albLogBucket = `proteomics-${name}-alb-logs-${env.awsAccountId}`;

    it("is an internet-facing ALB on HTTPS with the site's certificate, a TLS 1.3 policy, HTTP redirected, behind the web ACL", () => {
      expect(ingress.spec.ingress_class_name).toBe("alb");
      expect(annotations).toMatchObject({
        "alb.ingress.kubernetes.io/scheme": "internet-facing",
        "alb.ingress.kubernetes.io/target-type": "ip",
        "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
        "alb.ingress.kubernetes.io/ssl-redirect": "443",
        "alb.ingress.kubernetes.io/ssl-policy": ALB_TLS_POLICY,
        "alb.ingress.kubernetes.io/certificate-arn": `${ref("aws_acm_certificate_validation", validationId)}certificate_arn}`,
        "alb.ingress.kubernetes.io/wafv2-acl-arn": `${ref("aws_wafv2_web_acl", aclId)}arn}`,
      });
      expect(ALB_TLS_POLICY).toMatch(/TLS13/);
      expect(ingress.wait_for_load_balancer).toBe(true);
    });

    it("is created after the access log bucket's policy, which Elastic Load Balancing checks when logging is turned on", () => {
      const [policyId] = Object.entries(resourcesOf(stack, "aws_s3_bucket_policy")).find(([, policy]) => policy.bucket === `${ref("aws_s3_bucket", bucketId(stack, albLogBucket))}id}`)!;
      expect(ingress.depends_on).toEqual([`aws_s3_bucket_policy.${policyId}`]);
    });

    it("logs every request to its bucket, drops invalid headers, is protected from deletion where the environment asks, and is tagged", () => {
      const attributes = annotations["alb.ingress.kubernetes.io/load-balancer-attributes"].split(",");
      expect(attributes).toEqual([
        "access_logs.s3.enabled=true",
        `access_logs.s3.bucket=\${aws_s3_bucket.${Object.keys(resourcesOf(stack, "aws_s3_bucket"))[0]}.bucket}`,
        "access_logs.s3.prefix=alb",
        "routing.http.drop_invalid_header_fields.enabled=true",
        `deletion_protection.enabled=${env.protection.deletionProtection}`,
      ]);
      expect(Object.values(resourcesOf(stack, "aws_s3_bucket"))[0].bucket).toBe(albLogBucket);
      const tags = Object.fromEntries(annotations["alb.ingress.kubernetes.io/tags"].split(",").map((pair: string) => pair.split("=")));
      expect(tags).toEqual({
        Project: env.project,
        Environment: name,
        ManagedBy: "aws-load-balancer-controller",
        Owner: env.tags.owner,
        CostCenter: env.tags.costCenter,
      });
    });

    it("routes /api to the API and everything else to the front-end, for the configured domain only", () => {
      expect(ingress.spec.rule).toEqual([
        {
          host: env.apps.domain,
          http: {
            path: WORKLOADS.map((workload) => ({
              path: workload === "api" ? "/api" : "/",
              path_type: "Prefix",
              backend: {
                service: {
                  name: expect.stringMatching(new RegExp(`^\\$\\{kubernetes_service_v1\\.${workload}_service_[0-9A-F]+\\.metadata\\[0\\]\\.name}$`)),
                  port: { number: env.apps[workload].port },
                },
              },
            })),
          },
        },
      ]);
    });

    it("lets only Elastic Load Balancing of the region write the access logs, under this account's prefix", () => {
      const [statement] = JSON.parse(bucketConfig(stack, "aws_s3_bucket_policy", albLogBucket).policy).Statement.filter(
        (candidate: StackJson) => candidate.Sid === "ElbAccessLogDelivery",
      );
      expect(statement).toEqual({
        Sid: "ElbAccessLogDelivery",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${ELB_LOG_DELIVERY_ACCOUNTS[env.region]}:root` },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${albLogBucket}/alb/AWSLogs/${env.awsAccountId}/*`,
      });
      expect(bucketConfig(stack, "aws_s3_bucket_lifecycle_configuration", albLogBucket).rule).toEqual(
        expect.arrayContaining([expect.objectContaining({ expiration: [{ days: env.apps.logRetentionDays }] })]),
      );
    });

    it("has a DNS-validated certificate for the domain, leaves DNS to a documented manual step without a hosted zone, and waits for it to be issued", () => {
      expect(certificateId).toBe("site_certificate"); // the provisioning guide's first apply targets it
      expect(certificate).toMatchObject({ domain_name: env.apps.domain, validation_method: "DNS", lifecycle: { create_before_destroy: true } });
      expect(env.apps.hostedZoneId).toBeUndefined();
      expect(resourcesOf(stack, "aws_route53_record")).toEqual({});
      expect(validation).toMatchObject({ certificate_arn: `${ref("aws_acm_certificate", certificateId)}arn}`, timeouts: { create: CERTIFICATE_VALIDATION_TIMEOUT } });
      expect(validation.validation_record_fqdns).toBeUndefined();
      const option = (field: string) => `\${tolist(aws_acm_certificate.${certificateId}.domain_validation_options).0.resource_record_${field}}`;
      expect(stack.output["certificate-validation-record"].value).toBe(["name", "type", "value"].map(option).join(" "));
      expect(stack.output["load-balancer-hostname"].value).toMatch(/^\$\{kubernetes_ingress_v1\..+\.status\[0\]\.load_balancer\[0\]\.ingress\[0\]\.hostname}$/);
    });

    it("filters requests through AWS's managed rule groups, SQL injection included, and the configured per-IP rate limit", () => {
      expect(acl).toMatchObject({ name: `proteomics-${name}-web`, scope: "REGIONAL", default_action: { allow: {} } });
      const rules = JSON.parse(acl.rule_json);
      expect(rules.map((rule: StackJson) => rule.Name)).toEqual([
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesSQLiRuleSet",
        "AWSManagedRulesAmazonIpReputationList",
        "RateLimitPerIp",
      ]);
      expect(rules.map((rule: StackJson) => rule.Priority)).toEqual([10, 20, 30, 40, 50]);
      const capacity = MANAGED_RULE_GROUPS.reduce((sum, group) => sum + MANAGED_RULE_GROUP_CAPACITY[group], RATE_BASED_RULE_CAPACITY);
      expect(capacity).toBeLessThanOrEqual(INCLUDED_WEB_ACL_CAPACITY);
      for (const rule of rules.slice(0, MANAGED_RULE_GROUPS.length)) {
        expect(rule.OverrideAction).toEqual({ None: {} });
        expect(rule.Statement.ManagedRuleGroupStatement).toMatchObject({ VendorName: "AWS", Name: rule.Name });
        expect(rule.VisibilityConfig).toEqual({ SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: rule.Name });
      }
      expect(rules[0].Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([{ Name: "SizeRestrictions_BODY", ActionToUse: { Count: {} } }]);
      // Every SQL-injection rule blocks, bodies included: the API's requests carry no SQL.
      expect(rules[2].Statement.ManagedRuleGroupStatement.RuleActionOverrides).toBeUndefined();
      expect(rules[MANAGED_RULE_GROUPS.length]).toMatchObject({
        Action: { Block: {} },
        Statement: { RateBasedStatement: { Limit: env.apps.wafRateLimit, AggregateKeyType: "IP", EvaluationWindowSec: 300 } },
      });
    });

    it("logs the firewall's decisions to an encrypted log group, without credentials", () => {
      const logging = onlyResource(stack, "aws_wafv2_web_acl_logging_configuration");
      const [logGroupId, logGroup] = Object.entries(resourcesOf(stack, "aws_cloudwatch_log_group"))[0];
      expect(logGroup).toMatchObject({ name: `aws-waf-logs-proteomics-${name}`, retention_in_days: env.apps.logRetentionDays });
      expect(resolve(logGroup.kms_key_id)).toMatch(/^\$\{aws_kms_key\.keys_logs_key_[0-9A-F]+\.arn}$/);
      expect(logging.resource_arn).toBe(`${ref("aws_wafv2_web_acl", aclId)}arn}`);
      expect(logging.log_destination_configs).toEqual([`${ref("aws_cloudwatch_log_group", logGroupId)}arn}`]);
      expect(logging.redacted_fields).toEqual([{ single_header: { name: "authorization" } }, { single_header: { name: "cookie" } }]);
    });
  });

  describe("permissions of the workloads' roles", () => {
    const cluster = stacks[`${name}-cluster`];
    const roleName = (workload: string) => `proteomics-${name}-eks-${workload}`;
    /** Every statement granted to a role, from the cluster stack and from the stacks that add to it. */
    const statementsOf = (workload: string) => {
      const [roleId] = Object.entries(resourcesOf(cluster, "aws_iam_role")).find(([, role]) => role.name === roleName(workload))!;
      return Object.values(stacks).flatMap((json) =>
        Object.values(resourcesOf(json, "aws_iam_role_policy"))
          .filter((policy) => resolve(policy.role) === `${ref("aws_iam_role", roleId)}name}`)
          .flatMap((policy) => JSON.parse(resolve(policy.policy)).Statement as StackJson[]),
      );
    };
    const byAction = (statements: StackJson[]) =>
      statements.flatMap((statement) => [statement.Action].flat().map((action: string) => [action, statement.Resource] as const));
    const data = stacks[`${name}-data`];
    // The proxy's resource id, a local of the data stack (database-proxy.test.ts checks its value).
    const [proxyIdLocal] = Object.keys(data.locals as Record<string, string>).filter((local) => local.startsWith("metrics-proxy_resource-id"));
    const dbUser = (user: string) => `arn:aws:rds-db:${env.region}:${env.awsAccountId}:dbuser:\${local.${proxyIdLocal}}/${user}`;

    it("the API: tenant sessions (its only way to customer data), its analyses and their outcomes, the metrics database as api, and nothing else", () => {
      const statements = statementsOf("api");
      const [tenantRoleId] = Object.entries(resourcesOf(cluster, "aws_iam_role")).find(([, role]) => role.name === `${roleName("api")}-tenant`)!;
      const stateMachine = Object.values(resourcesOf(stacks[`${name}-pipeline`], "aws_sfn_state_machine")).find((machine) => machine.name.endsWith("-analysis"))!;
      expect(statements.every((statement) => statement.Effect === "Allow")).toBe(true);
      expect(byAction(statements)).toEqual(
        expect.arrayContaining([
          ["sts:AssumeRole", `${ref("aws_iam_role", tenantRoleId)}arn}`],
          ["sts:TagSession", `${ref("aws_iam_role", tenantRoleId)}arn}`],
          ["states:StartExecution", `arn:aws:states:${env.region}:${env.awsAccountId}:stateMachine:${stateMachine.name}`],
          ["states:DescribeExecution", `arn:aws:states:${env.region}:${env.awsAccountId}:execution:${stateMachine.name}:*`],
          ["states:StopExecution", `arn:aws:states:${env.region}:${env.awsAccountId}:execution:${stateMachine.name}:*`],
          ["sqs:ReceiveMessage", expect.stringMatching(/^\$\{aws_sqs_queue\.status_queue_[0-9A-F]+\.arn}$/)],
          ["sqs:DeleteMessage", expect.stringMatching(/^\$\{aws_sqs_queue\.status_queue_[0-9A-F]+\.arn}$/)],
          ["states:ListMapRuns", `arn:aws:states:${env.region}:${env.awsAccountId}:execution:${stateMachine.name}:*`],
          ["states:DescribeMapRun", [`arn:aws:states:${env.region}:${env.awsAccountId}:mapRun:${stateMachine.name}/samples:*`]],
          ["states:DescribeExecution", [`arn:aws:states:${env.region}:${env.awsAccountId}:execution:${stateMachine.name}/samples:*`]],
        ]),
      );
      expect(byAction(statements).filter(([action]) => action === "rds-db:connect")).toEqual([["rds-db:connect", dbUser("api")]]);
      // No S3 and no data key (kms:Decrypt is the status queue's messaging key): what a tenant session may read and
      // write is evaluated in __tests__/tenancy.
      expect(byAction(statements).filter(([action]) => action.startsWith("kms:")).map(([, resource]) => resource)).toEqual([expect.stringMatching(/keys_messaging_key/)]);
      expect([...new Set(byAction(statements).map(([action]) => action))].sort()).toEqual([
        "kms:Decrypt",
        "rds-db:connect",
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:ReceiveMessage",
        "states:DescribeExecution",
        "states:DescribeMapRun",
        "states:ListExecutions",
        "states:ListMapRuns",
        "states:StartExecution",
        "states:StopExecution",
        "sts:AssumeRole",
        "sts:TagSession",
      ]);
    });

    it("the metrics migrations: the metrics database as its master user, and nothing else", () => {
      expect(byAction(statementsOf("metrics-migrations"))).toEqual([["rds-db:connect", dbUser(env.data.postgres.masterUsername)]]);
    });

    it("the front-end: tenant sessions for the dashboard, its database as frontend, and nothing else (no Data API, no customer objects)", () => {
      const statements = statementsOf("frontend");
      const [tenantRoleId] = Object.entries(resourcesOf(cluster, "aws_iam_role")).find(([, role]) => role.name === `${roleName("frontend")}-tenant`)!;
      expect(byAction(statements)).toEqual([
        ["sts:AssumeRole", `${ref("aws_iam_role", tenantRoleId)}arn}`],
        ["sts:TagSession", `${ref("aws_iam_role", tenantRoleId)}arn}`],
        ["rds-db:connect", dbUser("frontend")],
      ]);
    });
  });
});
