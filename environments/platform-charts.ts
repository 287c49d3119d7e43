/**
 * Pinned chart versions of the in-cluster platform, checked against Kubernetes 1.36 and the IAM policies of the
 * cluster stack. Environments share them; an upgrade adds a new set and moves the environments one at a time.
 */
export const PLATFORM_CHARTS_2026_11 = {
  karpenter: "1.14.1",
  loadBalancerController: "3.5.0",
  metricsServer: "3.13.1",
  externalSecrets: "2.9.0",
} as const;
