import { BatchJobDefinition } from "@cdktf/provider-aws/lib/batch-job-definition";
import { Construct } from "constructs";
import { Grantable, IamRole } from "../iam/iam-role";
import { PolicyStatement } from "../iam/policy-document";
import { LogGroup } from "../logging/log-group";
import { TenantScopedRole } from "../tenancy/tenant-scoped-role";
import { AnalysisStep, analysisTenantRoleName } from "./pipeline-names";

/** Where job containers stage files: a Docker volume of the job's own, on the instance's root volume. */
export const SCRATCH_PATH = "/scratch";

/** The job's writable /tmp (the root filesystem is read-only): a Docker volume of the job's own, like /scratch. */
export const TMP_PATH = "/tmp";

/**
 * The user every job runs as, `<uid>:<gid>`: not root, so a file that exploits the parser gets no root in the
 * container (nor a step towards the instance). The image's contract: `/scratch` and `/tmp` exist in the image owned
 * by this user, so the job's volumes, which Docker creates from the image's directories, are writable by it.
 */
export const JOB_USER = "10001:10001";

export interface AnalysisJobProps {
  /** Resource name prefix, `<project>-<env>`; the definition is `<prefix>-<step>`. */
  readonly namePrefix: string;
  /** Step of the analysis: the subcommand of the analysis image. */
  readonly step: AnalysisStep;
  /** Account (the job role's trust). */
  readonly accountId: string;
  readonly region: string;
  /** Image, `<repository url>:<immutable tag>`. */
  readonly image: string;
  /** Resources and limits. */
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly timeoutSeconds: number;
  /** Attempts, counting the first; only a reclaimed instance (`Host EC2*`) is retried. */
  readonly attempts: number;
  /** Order among the jobs of one tenant's share: higher runs first. */
  readonly schedulingPriority: number;
  /** Environment of every run (buckets, database endpoint); per-run values come from the state machine. */
  readonly environment: Readonly<Record<string, string>>;
  /** Log group of the container logs. */
  readonly logGroup: LogGroup;
}

/**
 * One step of the analysis as a Batch job definition with its own job role: the analysis image at an immutable tag,
 * a non-root user, a read-only root filesystem, never privileged, logs to the pipeline's encrypted log group, a time limit per
 * attempt, and retries only when Spot reclaimed the instance (status reason `Host EC2*`).
 *
 * Scratch space is per job: `/scratch` and `/tmp` are Docker-managed volumes (no host path), created empty for each
 * job and removed with its stopped task when the ECS agent cleans it up (`ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION`,
 * set short by `BatchCompute`). No job sees another's files, and nothing accumulates on the instance.
 *
 * A new revision does not deregister the previous one (`deregister_on_new_revision = false`): jobs already
 * submitted, and executions that hold the previous revision's ARN, keep running on it through a deploy.
 */
export class AnalysisJob extends Construct implements Grantable {
  /** Job definition ARN, with its revision (what the state machine submits). */
  readonly arn: string;
  /** Job definition ARN pattern matching every revision (for IAM). */
  readonly arnPattern: string;
  /** The job's role: no customer data, only its tenant sessions (and what the step needs besides, such as the proxy). */
  readonly role: IamRole;
  /**
   * The role the job reads and writes customer data with: the container assumes it with `tenant=$TENANT_ID` (the
   * value the state machine set) and gets keys of that tenant only. Named `<prefix>-<step>-tenant`, passed as
   * `TENANT_ROLE_ARN`.
   */
  readonly tenantRole: TenantScopedRole;

  constructor(scope: Construct, id: string, props: AnalysisJobProps) {
    super(scope, id);
    const name = `${props.namePrefix}-${props.step}`;
    this.role = new IamRole(this, "role", {
      roleName: `${name}-job`,
      description: `Analysis step ${props.step}: only what that step reads and writes`,
      trust: [
        {
          Effect: "Allow",
          Principal: { Service: "ecs-tasks.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": props.accountId },
            ArnLike: { "aws:SourceArn": `arn:aws:ecs:${props.region}:${props.accountId}:*` },
          },
        },
      ],
    });
    this.tenantRole = new TenantScopedRole(this, "tenant-role", {
      roleName: analysisTenantRoleName(props.namePrefix, props.step),
      description: `Analysis step ${props.step}, one tenant per session: that tenant's keys only`,
      assumedBy: this.role,
    });
    const definition = new BatchJobDefinition(this, "definition", {
      name,
      type: "container",
      platformCapabilities: ["EC2"],
      propagateTags: true,
      // Running analyses submit the revision they started with; deregistering it would fail their next SubmitJob.
      deregisterOnNewRevision: false,
      schedulingPriority: props.schedulingPriority,
      containerProperties: JSON.stringify({
        image: props.image,
        command: [props.step],
        jobRoleArn: this.role.arn,
        resourceRequirements: [
          { type: "VCPU", value: String(props.vcpus) },
          { type: "MEMORY", value: String(props.memoryMiB) },
        ],
        environment: Object.entries({ ...props.environment, TENANT_ROLE_ARN: this.tenantRole.arn, SCRATCH_DIR: SCRATCH_PATH, TMPDIR: TMP_PATH, AWS_REGION: props.region }).map(
          ([key, value]) => ({ name: key, value }),
        ),
        user: JOB_USER,
        privileged: false,
        readonlyRootFilesystem: true,
        // No `host`: Docker creates each volume empty for the job's task and removes it with the task.
        volumes: [{ name: "scratch" }, { name: "tmp" }],
        mountPoints: [
          { sourceVolume: "scratch", containerPath: SCRATCH_PATH, readOnly: false },
          { sourceVolume: "tmp", containerPath: TMP_PATH, readOnly: false },
        ],
        linuxParameters: { initProcessEnabled: true },
        logConfiguration: {
          logDriver: "awslogs",
          options: { "awslogs-group": props.logGroup.name, "awslogs-region": props.region, "awslogs-stream-prefix": props.step },
        },
      }),
      retryStrategy: {
        attempts: props.attempts,
        evaluateOnExit: [
          { onStatusReason: "Host EC2*", action: "RETRY" },
          { onReason: "*", action: "EXIT" },
        ],
      },
      timeout: { attemptDurationSeconds: props.timeoutSeconds },
    });
    this.arn = definition.arn;
    this.arnPattern = `${definition.arnPrefix}:*`;
  }

  addToPolicy(...statements: PolicyStatement[]): void {
    this.role.addToPolicy(...statements);
  }
}
