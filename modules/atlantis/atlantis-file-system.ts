import { EfsAccessPoint } from "@cdktf/provider-aws/lib/efs-access-point";
import { EfsBackupPolicy } from "@cdktf/provider-aws/lib/efs-backup-policy";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsFileSystemPolicy } from "@cdktf/provider-aws/lib/efs-file-system-policy";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { ITerraformDependable, Lazy } from "cdktf";
import { Construct } from "constructs";
import { PolicyStatement, policyDocument } from "../iam/policy-document";
import { EncryptionKey } from "../kms/kms-key";
import { SecurityGroup } from "../network/security-group";
import { ATLANTIS_USER } from "./atlantis-image";

/** NFS, the only port of the file system's mount targets. */
export const NFS_PORT = 2049;

/** What a client does to the file system over NFS; each is authorized by the file system policy. */
export const EFS_CLIENT_ACTIONS = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"] as const;

/** What one server's task role may do through its access point: mount and write, never as root. */
export const EFS_SERVER_ACTIONS = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"] as const;

export interface AtlantisFileSystemProps {
  /** Resource name prefix, `<project>-<env>`. */
  readonly namePrefix: string;
  /** The VPC of the mount targets. */
  readonly vpcId: string;
  /** Private subnets: one mount target in each (one per availability zone). */
  readonly subnetIds: readonly string[];
  /** Dedicated key that encrypts the file system. */
  readonly encryptionKey: EncryptionKey;
  /** Security group of the Atlantis tasks: the only one admitted to NFS. */
  readonly clientSecurityGroupId: string;
  /** Adds Terraform `prevent_destroy` to the file system. */
  readonly preventDestroy: boolean;
  /** When files not read for a while move to Infrequent Access. @default AFTER_30_DAYS */
  readonly transitionToIa?: string;
}

/** One server's access point: its own root directory, entered as the image's `atlantis` user. */
export interface ServerAccessPoint {
  /** Access point id, for the task definition's EFS volume. */
  readonly id: string;
  /** Access point ARN, the value of `elasticfilesystem:AccessPointArn` in the file system policy. */
  readonly arn: string;
  /** Root directory of the access point on the file system. */
  readonly path: string;
}

/**
 * The Atlantis servers' data directories on one EFS file system: encrypted with a dedicated key, General Purpose,
 * elastic throughput, backed up by AWS Backup, files moved to Infrequent Access when idle, a mount target in every
 * private subnet behind a security group that admits NFS from the tasks only. Each server gets an access point
 * (`addServerAccessPoint`) that roots it in its own directory as uid/gid of the image's `atlantis` user; the file
 * system policy refuses any mount without TLS or without an access point, and lets each server's task role mount and
 * write only through its own access point, so the planner cannot read or tamper with the applier's plans and locks.
 */
export class AtlantisFileSystem extends Construct {
  /** File system id. */
  readonly id: string;
  /** File system ARN. */
  readonly arn: string;
  /** Security group of the mount targets. */
  readonly securityGroupId: string;
  /** What a task must wait for before it mounts: every mount target and the file system policy. */
  readonly mountDependencies: readonly ITerraformDependable[];
  private readonly statements: PolicyStatement[];
  private readonly accessPoints = new Map<string, ServerAccessPoint>();
  private readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: AtlantisFileSystemProps) {
    super(scope, id);
    this.namePrefix = props.namePrefix;
    const name = `${props.namePrefix}-atlantis-data`;
    const fileSystem = new EfsFileSystem(this, "file-system", {
      creationToken: name,
      encrypted: true,
      kmsKeyId: props.encryptionKey.arn,
      performanceMode: "generalPurpose",
      throughputMode: "elastic",
      lifecyclePolicy: [{ transitionToIa: props.transitionToIa ?? "AFTER_30_DAYS" }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
      protection: { replicationOverwrite: "DISABLED" },
      tags: { Name: name },
      lifecycle: { preventDestroy: props.preventDestroy },
    });
    this.id = fileSystem.id;
    this.arn = fileSystem.arn;
    new EfsBackupPolicy(this, "backup", { fileSystemId: fileSystem.id, backupPolicy: { status: "ENABLED" } });

    const group = new SecurityGroup(this, "security-group", {
      groupName: `${props.namePrefix}-atlantis-efs`,
      description: "Mount targets of the Atlantis data directories (NFS from the Atlantis tasks only)",
      vpcId: props.vpcId,
    });
    group.allowFrom("atlantis-tasks", props.clientSecurityGroupId, NFS_PORT, "NFS from the Atlantis tasks (data directories)");
    this.securityGroupId = group.id;
    const mountTargets = props.subnetIds.map(
      (subnetId, index) => new EfsMountTarget(this, `mount-target-${index}`, { fileSystemId: fileSystem.id, subnetId, securityGroups: [group.id] }),
    );

    this.statements = [
      {
        Sid: "DenyWithoutTls",
        Effect: "Deny",
        Principal: "*",
        Action: EFS_CLIENT_ACTIONS,
        Resource: fileSystem.arn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "DenyWithoutAccessPoint",
        Effect: "Deny",
        Principal: "*",
        Action: EFS_CLIENT_ACTIONS,
        Resource: fileSystem.arn,
        Condition: { Null: { "elasticfilesystem:AccessPointArn": "true" } },
      },
    ];
    const policy = new EfsFileSystemPolicy(this, "policy", {
      fileSystemId: fileSystem.id,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
    });
    this.mountDependencies = [...mountTargets, policy];
  }

  /**
   * Creates `serverId`'s access point (root `/<serverId>`, created owned by the `atlantis` user with mode 0750, every
   * request made as that user) and lets `taskRoleArn` mount and write through it only.
   */
  addServerAccessPoint(serverId: string, taskRoleArn: string): ServerAccessPoint {
    if (this.accessPoints.has(serverId)) throw new Error(`Atlantis file system: server "${serverId}" already has an access point`);
    const path = `/${serverId}`;
    const accessPoint = new EfsAccessPoint(this, `access-point-${serverId}`, {
      fileSystemId: this.id,
      posixUser: { uid: ATLANTIS_USER.uid, gid: ATLANTIS_USER.gid },
      rootDirectory: { path, creationInfo: { ownerUid: ATLANTIS_USER.uid, ownerGid: ATLANTIS_USER.gid, permissions: "0750" } },
      tags: { Name: `${this.namePrefix}-atlantis-${serverId}` },
    });
    this.statements.push({
      Sid: `${statementName(serverId)}MountsOwnAccessPoint`,
      Effect: "Allow",
      Principal: { AWS: taskRoleArn },
      Action: EFS_SERVER_ACTIONS,
      Resource: this.arn,
      Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": accessPoint.arn } },
    });
    const result = { id: accessPoint.id, arn: accessPoint.arn, path };
    this.accessPoints.set(serverId, result);
    return result;
  }
}

/** `deploy-applier` -> `DeployApplier` (statement ids take letters and digits only). */
function statementName(serverId: string): string {
  return serverId
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join("");
}
