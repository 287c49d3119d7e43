import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { Grantable, IamRole } from "../iam/iam-role";
import { PolicyStatement } from "../iam/policy-document";
import { EksCluster } from "./eks-cluster";

export interface PodIdentityRoleProps {
  /** Role name, `<cluster>-<workload>`. */
  readonly roleName: string;
  /** What the workload does with the role. */
  readonly description: string;
  /** The cluster whose pods assume the role. */
  readonly cluster: EksCluster;
  /** Account of the cluster. */
  readonly accountId: string;
  /** Kubernetes namespace and service account of the workload. */
  readonly namespace: string;
  readonly serviceAccount: string;
  /** AWS managed policies to attach. @default none */
  readonly managedPolicyArns?: readonly string[];
  /** Inline statements; grant methods add more. @default none */
  readonly statements?: readonly PolicyStatement[];
}

/**
 * The trust of a role for one Kubernetes service account through EKS Pod Identity: `pods.eks.amazonaws.com`, only for
 * this account, this cluster, this namespace and this service account (the session tags EKS sets).
 */
export function podIdentityTrust(props: { readonly accountId: string; readonly clusterArn: string; readonly namespace: string; readonly serviceAccount: string }): PolicyStatement {
  return {
    Sid: "EksPodIdentity",
    Effect: "Allow",
    Principal: { Service: "pods.eks.amazonaws.com" },
    Action: ["sts:AssumeRole", "sts:TagSession"],
    Condition: {
      StringEquals: {
        "aws:SourceAccount": props.accountId,
        "aws:RequestTag/eks-cluster-arn": props.clusterArn,
        "aws:RequestTag/kubernetes-namespace": props.namespace,
        "aws:RequestTag/kubernetes-service-account": props.serviceAccount,
      },
    },
  };
}

/**
 * An IAM role for one Kubernetes service account through EKS Pod Identity: trusted by `pods.eks.amazonaws.com`
 * only for this account, this cluster, this namespace and this service account (the session tags EKS sets), and
 * associated with the service account.
 */
export class PodIdentityRole extends Construct implements Grantable {
  /** Role ARN. */
  readonly arn: string;
  /** Role name. */
  readonly name: string;
  /** Namespace and service account the role is bound to. */
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The association, for what must start only once the service account has its credentials. */
  readonly association: ITerraformDependable;
  private readonly role: IamRole;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      roleName: props.roleName,
      description: props.description,
      trust: [podIdentityTrust({ accountId: props.accountId, clusterArn: props.cluster.arn, namespace: props.namespace, serviceAccount: props.serviceAccount })],
      managedPolicyArns: props.managedPolicyArns,
      statements: props.statements,
    });
    this.association = new EksPodIdentityAssociation(this, "association", {
      clusterName: props.cluster.name,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.arn,
    });
    this.arn = this.role.arn;
    this.name = this.role.name;
    this.namespace = props.namespace;
    this.serviceAccount = props.serviceAccount;
  }

  addToPolicy(...statements: PolicyStatement[]): void {
    this.role.addToPolicy(...statements);
  }

  /** Attaches a managed policy. */
  attachManagedPolicy(policyArn: string): void {
    this.role.attachManagedPolicy(policyArn);
  }
}
