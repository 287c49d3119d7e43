import { JobV1, JobV1SpecTemplateSpec } from "@cdktf/provider-kubernetes/lib/job-v1";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { RestrictedPodProps, componentSelector, restrictedPodSpec } from "./restricted-pod";

export interface MigrationJobProps extends Omit<RestrictedPodProps, "http" | "restartPolicy" | "command"> {
  /** Namespace of the job. */
  readonly namespace: string;
  /** Image tag: part of the job's name, so each release runs its migrations once. */
  readonly releaseTag: string;
  /** The migration command. */
  readonly command: readonly string[];
  /** Component whose network access the job shares (the workload it migrates for). */
  readonly component: string;
  /** What must exist before the job's pod starts (its NetworkPolicies, its Secret). @default nothing */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * Database migrations of one release, run as a Kubernetes Job to completion before the release's Deployment is
 * updated (the Deployment depends on it): a new version never serves traffic against an old schema, and replicas
 * never race to migrate. Named after the release, so the next release runs its own.
 */
export class MigrationJob extends Construct {
  /** The job, for what must wait for it. */
  readonly job: JobV1;

  constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id);
    const release = props.releaseTag.toLowerCase().replace(/[^a-z0-9-]/g, "-");
    const labels = { "app.kubernetes.io/name": props.name, ...componentSelector(props.component), "app.kubernetes.io/part-of": "proteomics" };
    this.job = new JobV1(this, "job", {
      metadata: { name: `${props.name}-${release}`.slice(0, 63).replace(/-+$/, ""), namespace: props.namespace, labels },
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: 900,
        template: {
          metadata: { labels },
          // The same restricted pod as the workload; the Job's pod spec type is the Deployment's, generated twice.
          spec: restrictedPodSpec({ ...props, restartPolicy: "Never" }) as unknown as JobV1SpecTemplateSpec,
        },
      },
      waitForCompletion: true,
      timeouts: { create: "15m", update: "15m" },
      dependsOn: props.dependsOn && [...props.dependsOn],
    });
  }
}
