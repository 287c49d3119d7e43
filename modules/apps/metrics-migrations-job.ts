import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { METRICS_MIGRATIONS_DIR, MIGRATION_RUNNER, metricsMigrations } from "../data/metrics-schema";
import { NODE_POOL_LABEL } from "../karpenter/node-pool";
import { APP_USER_ID, RESTRICTED_CONTAINER, componentSelector } from "./restricted-pod";

/**
 * Images of the job, pinned: the AWS CLI signs the IAM token (and lends its CA bundle, which holds the Amazon roots
 * the proxy's certificate chains to); PostgreSQL's client runs the migrations. Both from public ECR (docker-library's
 * official postgres image, 17.9 on Alpine 3.23: the RDS major).
 */
export const MIGRATION_IMAGES = {
  awsCli: "public.ecr.aws/aws-cli/aws-cli:2.36.7",
  postgres: "public.ecr.aws/docker/library/postgres:17.9-alpine3.23",
} as const;

/** Where the token and the CA bundle pass from the init container to the migrations (memory, never on disk). */
const SHARED = "/shared";
/** Where the ConfigMap's files are mounted. */
const MIGRATIONS = "/migrations";

export interface MetricsMigrationsJobProps {
  /** Namespace of the job. */
  readonly namespace: string;
  /** Service account with the Pod Identity role that may `rds-db:connect` as `databaseUser` through the proxy. */
  readonly serviceAccountName: string;
  /** Component label of the pods (their NetworkPolicy: the proxy only). */
  readonly component: string;
  /** Karpenter pool of the pods. */
  readonly nodePool: string;
  /** The proxy's endpoint, port and region (the IAM token is signed for them). */
  readonly proxy: { readonly endpoint: string; readonly port: number; readonly region: string };
  /** The metrics database. */
  readonly databaseName: string;
  /** The user the migrations run as: the master user (they create users and a database). */
  readonly databaseUser: string;
  /** What must exist before the pod starts (its NetworkPolicies, its role's association). @default nothing */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * The metrics database's migrations (migrations/metrics), applied by the deploy: a ConfigMap with the SQL files and
 * their runner, and a Job that signs an IAM token as the master user (an AWS CLI init container, with the pod's Pod
 * Identity credentials) and runs the runner with psql through the proxy (TLS verified against the proxy's name).
 * Both are named after the files' hash: unchanged files, nothing to apply; a new migration, a new Job, which applies
 * it alone (the others are recorded). The apply waits for the Job: a failed migration fails the apply, and the Job's
 * logs hold PostgreSQL's message.
 */
export class MetricsMigrationsJob extends Construct {
  /** The job, for the workloads that need the schema. */
  readonly job: JobV1;
  /** Hash of the migrations and their runner (part of the job's name). */
  readonly contentHash: string;

  constructor(scope: Construct, id: string, props: MetricsMigrationsJobProps) {
    super(scope, id);
    const files = [MIGRATION_RUNNER, ...metricsMigrations()];
    const contents = Object.fromEntries(files.map((file) => [file, fs.readFileSync(path.join(METRICS_MIGRATIONS_DIR, file), "utf8")]));
    const hash = createHash("sha256");
    for (const file of files) hash.update(`${file}\n${contents[file]}\n`);
    // Terraform would read ${...} and %{...} in the files as its own templates: escape them, so the ConfigMap holds the files as written.
    const data = Object.fromEntries(Object.entries(contents).map(([file, text]) => [file, text.replaceAll("${", "$${").replaceAll("%{", "%%{")]));
    this.contentHash = hash.digest("hex").slice(0, 10);
    const name = `metrics-migrate-${this.contentHash}`;
    const labels = { "app.kubernetes.io/name": "metrics-migrate", ...componentSelector(props.component), "app.kubernetes.io/part-of": "proteomics" };

    const configMap = new ConfigMapV1(this, "files", { metadata: { name, namespace: props.namespace, labels }, data, immutable: true });
    const securityContext = RESTRICTED_CONTAINER;
    const resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } };
    const sign =
      `aws rds generate-db-auth-token --hostname "$PGHOST" --port "$PGPORT" --username "$PGUSER" --region ${props.proxy.region} --output text > ${SHARED}/token` +
      ` && cp /etc/pki/tls/certs/ca-bundle.crt ${SHARED}/ca.pem`;
    this.job = new JobV1(this, "job", {
      metadata: { name, namespace: props.namespace, labels },
      spec: {
        // A migration that failed fails again: no retry, the apply fails with the first attempt's logs.
        backoffLimit: 0,
        activeDeadlineSeconds: 900,
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: props.serviceAccountName,
            automountServiceAccountToken: false,
            restartPolicy: "Never",
            nodeSelector: { [NODE_POOL_LABEL]: props.nodePool },
            securityContext: { runAsNonRoot: true, runAsUser: String(APP_USER_ID), runAsGroup: String(APP_USER_ID), fsGroup: String(APP_USER_ID), seccompProfile: { type: "RuntimeDefault" } },
            initContainer: [
              {
                name: "iam-token",
                image: MIGRATION_IMAGES.awsCli,
                command: ["/bin/sh", "-c", sign],
                env: this.connection(props).concat([{ name: "HOME", value: "/tmp" }]),
                resources,
                securityContext,
                volumeMount: [
                  { name: "shared", mountPath: SHARED },
                  { name: "tmp", mountPath: "/tmp" },
                ],
              },
            ],
            container: [
              {
                name: "migrate",
                image: MIGRATION_IMAGES.postgres,
                command: ["/bin/sh", "-c", `PGPASSWORD="$(cat ${SHARED}/token)" exec sh ${MIGRATIONS}/${MIGRATION_RUNNER}`],
                env: this.connection(props).concat([
                  { name: "PGSSLMODE", value: "verify-full" },
                  { name: "PGSSLROOTCERT", value: `${SHARED}/ca.pem` },
                ]),
                resources,
                securityContext,
                volumeMount: [
                  { name: "shared", mountPath: SHARED, readOnly: true },
                  { name: "migrations", mountPath: MIGRATIONS, readOnly: true },
                  { name: "tmp", mountPath: "/tmp" },
                ],
              },
            ],
            volume: [
              { name: "shared", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
              { name: "migrations", configMap: { name: configMap.metadata.name } },
              { name: "tmp", emptyDir: { medium: "", sizeLimit: "64Mi" } },
            ],
          },
        },
      },
      waitForCompletion: true,
      timeouts: { create: "15m", update: "15m" },
      dependsOn: [configMap, ...(props.dependsOn ?? [])],
    });
  }

  /** libpq's connection variables (and the token's signing inputs): the proxy, the database, the user. */
  private connection(props: MetricsMigrationsJobProps) {
    return [
      { name: "PGHOST", value: props.proxy.endpoint },
      { name: "PGPORT", value: String(props.proxy.port) },
      { name: "PGDATABASE", value: props.databaseName },
      { name: "PGUSER", value: props.databaseUser },
    ];
  }
}
