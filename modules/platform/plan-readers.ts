import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import { PLAN_READERS_GROUP, PLAN_READERS_ROLE } from "./plan-reader-names";

/**
 * The objects the stacks manage through `kubernetes_manifest` that AmazonEKSViewPolicy does not let a plan read
 * (custom resources and admission policies), and the role itself: a plan refreshes each one it manages.
 * None holds a secret value (an ExternalSecret names its source; the synced Secret stays unreadable).
 */
const PLAN_READ_RULES: readonly { readonly apiGroups: readonly string[]; readonly resources: readonly string[]; readonly resourceNames?: readonly string[] }[] = [
  { apiGroups: ["karpenter.sh"], resources: ["nodepools"] },
  { apiGroups: ["karpenter.k8s.aws"], resources: ["ec2nodeclasses"] },
  { apiGroups: ["admissionregistration.k8s.io"], resources: ["validatingadmissionpolicies", "validatingadmissionpolicybindings"] },
  { apiGroups: ["external-secrets.io"], resources: ["secretstores", "externalsecrets"] },
  { apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles", "clusterrolebindings"], resourceNames: [PLAN_READERS_ROLE] },
];

/**
 * Read access for plans to the objects the view policy leaves out: a ClusterRole of get, list and watch on
 * {@link PLAN_READ_RULES}, bound to {@link PLAN_READERS_GROUP}, which the cluster stack puts on the plan role's
 * access entry. Applied by the deploy role; the first plan of each object creates it, later plans read it.
 */
export class PlanReaders extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const role = new Manifest(this, "cluster-role", {
      manifest: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: PLAN_READERS_ROLE },
        rules: PLAN_READ_RULES.map((rule) => ({
          apiGroups: [...rule.apiGroups],
          resources: [...rule.resources],
          ...(rule.resourceNames ? { resourceNames: [...rule.resourceNames] } : {}),
          verbs: rule.resourceNames ? ["get"] : ["get", "list", "watch"],
        })),
      },
    });
    new Manifest(this, "cluster-role-binding", {
      manifest: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: PLAN_READERS_ROLE },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: PLAN_READERS_ROLE },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: PLAN_READERS_GROUP }],
      },
      dependsOn: [role],
    });
  }
}
