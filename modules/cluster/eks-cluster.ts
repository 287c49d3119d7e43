import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { Construct } from "constructs";
import { IamRole } from "../iam/iam-role";
import { EncryptionKey } from "../kms/kms-key";
import { LogGroup } from "../logging/log-group";
import { ClusterSecurityGroups } from "./cluster-security-groups";

/** Every control-plane log type. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** EKS access policies granted to the roles of the config. */
export const ACCESS_POLICIES = {
  admin: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
  viewer: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
  // Reads everything, Secrets included: only ever scoped to namespaces.
  adminViewer: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
} as const;

/** One EKS access policy granted to an IAM role: cluster-wide, or in the listed namespaces only. */
export interface AccessGrant {
  /** The IAM role. */
  readonly principalArn: string;
  /** The access policy. */
  readonly policy: keyof typeof ACCESS_POLICIES;
  /** Namespaces the policy applies in. @default the whole cluster */
  readonly namespaces?: readonly string[];
}

export interface EksClusterProps {
  /** Cluster name. */
  readonly clusterName: string;
  /** Kubernetes version, e.g. `1.36`. */
  readonly kubernetesVersion: string;
  /** Account and region (trust conditions, ARNs). */
  readonly accountId: string;
  readonly region: string;
  /** The VPC and the private subnets of the control plane's network interfaces. */
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /** Public API endpoint, reachable from `publicAccessCidrs` only; the private endpoint is always on. */
  readonly endpointPublicAccess: boolean;
  readonly publicAccessCidrs: readonly string[];
  /** Key for envelope encryption of Kubernetes secrets. */
  readonly secretsKey: EncryptionKey;
  /** Key and retention of the control-plane log group. */
  readonly logsKey: EncryptionKey;
  readonly logRetentionDays: number;
  /** STANDARD (upgraded automatically when standard support ends) or EXTENDED (paid extended support). */
  readonly upgradeSupportType: "STANDARD" | "EXTENDED";
  /** Refuse deletion of the cluster. */
  readonly deletionProtection: boolean;
  /** Access policies of IAM roles, through access entries (one entry per role). */
  readonly accessGrants: readonly AccessGrant[];
  /**
   * Kubernetes groups put on a granted role's access entry, by role ARN, for RBAC the access policies do not give
   * (bound by a ClusterRoleBinding in the platform stack). @default no groups
   */
  readonly accessEntryGroups?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The EKS control plane: API authentication through access entries only (no aws-auth ConfigMap, no implicit admin
 * for the creator), private endpoint (public one optional and restricted), secrets envelope-encrypted with a
 * customer-managed key, all five log types to an encrypted log group with retention, add-ons managed explicitly
 * (none bootstrapped by EKS), the configured upgrade policy.
 */
export class EksCluster extends Construct {
  /** Cluster name, as a reference: whatever uses it waits for the cluster. */
  readonly name: string;
  /** Cluster name as configured, for names and IAM conditions that must not wait for the cluster. */
  readonly configuredName: string;
  /** Cluster ARN. */
  readonly arn: string;
  /** The control plane's log group (API server audit log included), which the security alarms read. */
  readonly logGroup: LogGroup;
  /** API server endpoint. */
  readonly endpoint: string;
  /** Base64 certificate authority data. */
  readonly certificateAuthority: string;
  /** OIDC issuer URL. */
  readonly oidcIssuer: string;
  /** Kubernetes version. */
  readonly version: string;
  /** The control-plane and node security groups. */
  readonly securityGroups: ClusterSecurityGroups;
  /**
   * ARC zonal shift is on: AWS (or an operator) can move traffic and new capacity away from an impaired zone.
   * Karpenter follows it (`settings.enableZonalShift`), and panics at start if it is asked to while this is off.
   */
  readonly zonalShiftEnabled = true;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    this.configuredName = props.clusterName;
    const clusterArn = `arn:aws:eks:${props.region}:${props.accountId}:cluster/${props.clusterName}`;

    const role = new IamRole(this, "role", {
      roleName: `${props.clusterName}-cluster`,
      description: `EKS control plane of ${props.clusterName}`,
      trust: [
        {
          Effect: "Allow",
          Principal: { Service: "eks.amazonaws.com" },
          Action: ["sts:AssumeRole", "sts:TagSession"],
          Condition: { StringEquals: { "aws:SourceAccount": props.accountId }, ArnLike: { "aws:SourceArn": clusterArn } },
        },
      ],
      managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"],
      statements: [
        {
          Sid: "EnvelopeEncryptionOfSecrets",
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
          Resource: props.secretsKey.arn,
        },
      ],
    });
    const logGroup = (this.logGroup = new LogGroup(this, "log-group", {
      name: `/aws/eks/${props.clusterName}/cluster`,
      retentionDays: props.logRetentionDays,
      encryptionKey: props.logsKey,
      logClass: "audit",
      deletionProtection: props.deletionProtection,
    }));
    this.securityGroups = new ClusterSecurityGroups(this, "security-groups", { clusterName: props.clusterName, vpcId: props.vpcId });

    const cluster = new EksClusterResource(this, "cluster", {
      name: props.clusterName,
      version: props.kubernetesVersion,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        securityGroupIds: [this.securityGroups.controlPlane.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: props.endpointPublicAccess,
        publicAccessCidrs: props.endpointPublicAccess ? [...props.publicAccessCidrs] : undefined,
      },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      bootstrapSelfManagedAddons: false,
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: props.secretsKey.arn } },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      kubernetesNetworkConfig: { ipFamily: "ipv4" },
      upgradePolicy: { supportType: props.upgradeSupportType },
      zonalShiftConfig: { enabled: this.zonalShiftEnabled },
      deletionProtection: props.deletionProtection,
      // EKS would create the log group itself, unencrypted and kept forever.
      dependsOn: [logGroup.resource],
    });
    // EKS checks the cluster role's policies (AmazonEKSClusterPolicy, the secrets key) when it creates the cluster.
    role.grantsBefore(cluster);
    this.name = cluster.name;
    this.arn = cluster.arn;
    this.endpoint = cluster.endpoint;
    this.certificateAuthority = cluster.certificateAuthority.get(0).data;
    this.oidcIssuer = cluster.identity.get(0).oidc.get(0).issuer;
    this.version = cluster.version;

    const entries = new Map<string, EksAccessEntry>();
    for (const grant of props.accessGrants) {
      // Ids from the role name, so reordering the config replaces nothing.
      const role = grant.principalArn.split("/").pop();
      let entry = entries.get(grant.principalArn);
      if (entry === undefined) {
        const groups = props.accessEntryGroups?.[grant.principalArn];
        // Kubernetes reserves system: groups (system:masters would be cluster admin); EKS refuses them on an entry.
        const reserved = groups?.find((group) => group.startsWith("system:"));
        if (reserved !== undefined) throw new Error(`EksCluster ${props.clusterName}: access entry group "${reserved}" of ${grant.principalArn} starts with "system:"; bind a group of your own instead`);
        entry = new EksAccessEntry(this, `access-entry-${role}`, {
          clusterName: cluster.name,
          principalArn: grant.principalArn,
          type: "STANDARD",
          ...(groups ? { kubernetesGroups: [...groups] } : {}),
        });
        entries.set(grant.principalArn, entry);
      }
      new EksAccessPolicyAssociation(this, `access-policy-${role}-${grant.policy}`, {
        clusterName: cluster.name,
        principalArn: entry.principalArn,
        policyArn: ACCESS_POLICIES[grant.policy],
        accessScope: grant.namespaces ? { type: "namespace", namespaces: [...grant.namespaces] } : { type: "cluster" },
      });
    }
    const ungranted = Object.keys(props.accessEntryGroups ?? {}).find((principalArn) => !entries.has(principalArn));
    if (ungranted !== undefined) throw new Error(`EksCluster ${props.clusterName}: access entry groups for ${ungranted}, which has no access grant (no entry to put them on)`);
  }
}
