import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { Construct } from "constructs";
import { EksCluster } from "../cluster/eks-cluster";
import { PodIdentityRole } from "../cluster/pod-identity-role";
import { WORKER_NODE_POLICIES } from "../cluster/system-node-group";
import { IamRole, serviceTrust } from "../iam/iam-role";
import { ManagedPolicy } from "../iam/managed-policy";
import { EncryptionKey } from "../kms/kms-key";
import { karpenterControllerPolicies } from "./controller-policies";
import { InterruptionQueue } from "./interruption-queue";

/** Where the Karpenter controller runs (the chart's namespace and service account). */
export const KARPENTER_NAMESPACE = "kube-system";
export const KARPENTER_SERVICE_ACCOUNT = "karpenter";

export interface KarpenterAwsProps {
  /** Resource name prefix, `<project>-<env>` (the interruption rules' names). */
  readonly namePrefix: string;
  /** The cluster. */
  readonly cluster: EksCluster;
  readonly accountId: string;
  readonly region: string;
  /** Key of the interruption queue. */
  readonly queueKey: EncryptionKey;
}

/**
 * Karpenter's AWS side: the node role (the four worker-node policies, with SSM) and its EC2_LINUX access entry, the
 * interruption queue and its EventBridge rules, and the controller's Pod Identity role with the reference policies.
 */
export class KarpenterAws extends Construct {
  /** Role of the nodes Karpenter launches (the EC2NodeClass `role`). */
  readonly nodeRole: IamRole;
  /** The interruption queue (`settings.interruptionQueue`). */
  readonly interruptionQueue: InterruptionQueue;
  /** The controller's role. */
  readonly controllerRole: PodIdentityRole;
  /** The controller's managed policies, by name. */
  readonly controllerPolicies: Readonly<Record<string, ManagedPolicy>>;

  constructor(scope: Construct, id: string, props: KarpenterAwsProps) {
    super(scope, id);
    const name = props.cluster.configuredName;
    this.nodeRole = new IamRole(this, "node-role", {
      roleName: `${name}-karpenter-node`,
      description: `Nodes Karpenter launches for ${name}`,
      trust: [serviceTrust("ec2.amazonaws.com")],
      managedPolicyArns: WORKER_NODE_POLICIES,
    });
    new EksAccessEntry(this, "node-access-entry", { clusterName: props.cluster.name, principalArn: this.nodeRole.arn, type: "EC2_LINUX" });

    this.interruptionQueue = new InterruptionQueue(this, "interruption", {
      queueName: name,
      namePrefix: props.namePrefix,
      accountId: props.accountId,
      encryptionKey: props.queueKey,
    });

    this.controllerRole = new PodIdentityRole(this, "controller-role", {
      roleName: `${name}-karpenter-controller`,
      description: `Karpenter controller of ${name}`,
      cluster: props.cluster,
      accountId: props.accountId,
      namespace: KARPENTER_NAMESPACE,
      serviceAccount: KARPENTER_SERVICE_ACCOUNT,
    });
    const policies = karpenterControllerPolicies({
      clusterName: name,
      region: props.region,
      accountId: props.accountId,
      nodeRoleArn: this.nodeRole.arn,
      queueArn: this.interruptionQueue.arn,
      queueKeyArn: props.queueKey.arn,
    });
    this.controllerPolicies = Object.fromEntries(
      Object.entries(policies).map(([policyId, policy]) => {
        const managed = new ManagedPolicy(this, `controller-${policyId}`, {
          policyName: `${name}-karpenter-${policyId}`,
          description: policy.description,
          statements: policy.statements,
        });
        this.controllerRole.attachManagedPolicy(managed.arn);
        return [policyId, managed];
      }),
    );
  }
}
