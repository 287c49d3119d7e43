/** The Kubernetes names that give plans read access beyond AmazonEKSViewPolicy, shared by the cluster and platform stacks. */

/** The Kubernetes group on the plan role's access entry (cluster stack), bound by the platform stack. */
export const PLAN_READERS_GROUP = "proteomics:plan-readers";

/** The ClusterRole, and its ClusterRoleBinding, that the platform stack grants {@link PLAN_READERS_GROUP}. */
export const PLAN_READERS_ROLE = "proteomics-plan-readers";
