import { GuardrailRule } from "../rule";
import { asList, blocks, isSet } from "../synthesized-stack";

const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

export const eksSecretsEncryption: GuardrailRule = {
  id: "eks-secrets-encryption",
  requirement: "Every EKS cluster envelope-encrypts Kubernetes secrets with a customer-managed KMS key.",
  rationale: "Secrets in etcd (application keys, tokens) are protected by a key the company controls and can audit.",
  check: (stack) =>
    stack
      .resources("aws_eks_cluster")
      .filter(
        (cluster) =>
          !blocks(cluster.values.encryption_config).some(
            (config) => asList(config.resources).includes("secrets") && blocks(config.provider).some((provider) => isSet(provider.key_arn)),
          ),
      )
      .map((cluster) => ({ address: cluster.address, message: 'add encryption_config { resources = ["secrets"], provider { key_arn = <customer-managed key> } }' })),
};

export const eksControlPlaneLogs: GuardrailRule = {
  id: "eks-control-plane-logs",
  requirement: `Every EKS cluster sends all control-plane log types (${LOG_TYPES.join(", ")}) to CloudWatch.`,
  rationale: "The audit and authenticator logs are the record of who did what to the cluster.",
  check: (stack) =>
    stack.resources("aws_eks_cluster").flatMap((cluster) => {
      const missing = LOG_TYPES.filter((type) => !asList(cluster.values.enabled_cluster_log_types).includes(type));
      return missing.length ? [{ address: cluster.address, message: `enable the ${missing.join(", ")} log types` }] : [];
    }),
};

export const eksEndpointNotOpen: GuardrailRule = {
  id: "eks-endpoint-not-public",
  requirement: "No EKS API endpoint is open to the internet: public access is off, or limited to listed CIDRs that are not 0.0.0.0/0.",
  rationale: "The Kubernetes API is the cluster's control surface; it is reached from the VPC or from known networks only.",
  check: (stack) =>
    stack.resources("aws_eks_cluster").flatMap((cluster) =>
      blocks(cluster.values.vpc_config)
        .filter((config) => {
          if (config.endpoint_public_access === false) return false;
          const cidrs = asList(config.public_access_cidrs);
          return cidrs.length === 0 || cidrs.includes("0.0.0.0/0");
        })
        .map(() => ({ address: cluster.address, message: "set endpoint_public_access = false, or public_access_cidrs to known networks" })),
    ),
};

export const launchTemplateImdsV2: GuardrailRule = {
  id: "launch-template-imdsv2",
  requirement: "Every launch template requires IMDSv2 (http_tokens = required).",
  rationale: "IMDSv2 blocks the SSRF-style theft of instance credentials that IMDSv1 allows.",
  check: (stack) =>
    stack
      .resources("aws_launch_template")
      .filter((template) => !blocks(template.values.metadata_options).some((options) => options.http_tokens === "required"))
      .map((template) => ({ address: template.address, message: 'set metadata_options { http_tokens = "required" }' })),
};

export const launchTemplateEncryptedVolumes: GuardrailRule = {
  id: "launch-template-encrypted-volumes",
  requirement: "Every EBS volume a launch template defines is encrypted.",
  rationale: "Node disks hold container images, scratch data and logs; they are encrypted at rest.",
  check: (stack) =>
    stack
      .resources("aws_launch_template")
      .filter((template) =>
        blocks(template.values.block_device_mappings)
          .flatMap((mapping) => blocks(mapping.ebs))
          .some((ebs) => String(ebs.encrypted) !== "true"),
      )
      .map((template) => ({ address: template.address, message: 'set encrypted = "true" on every block device' })),
};
