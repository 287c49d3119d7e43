/**
 * EKS add-on versions known to work with Kubernetes 1.36 (AWS's add-on version tables and `aws eks
 * describe-addon-versions --kubernetes-version 1.36`). Environments on 1.36 share them; an upgrade adds the next
 * set here and moves the environments one at a time, dev first.
 */
export const EKS_1_36_ADDONS = {
  vpcCni: "v1.22.4-eksbuild.3",
  kubeProxy: "v1.36.0-eksbuild.14",
  podIdentityAgent: "v1.3.10-eksbuild.3",
  coredns: "v1.14.3-eksbuild.3",
  ebsCsiDriver: "v1.63.1-eksbuild.1",
  cloudwatchObservability: "v6.6.0-eksbuild.1",
} as const;
