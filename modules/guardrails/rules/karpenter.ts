import { parse } from "yaml";
import { GuardrailRule } from "../rule";
import { blocks } from "../synthesized-stack";

export const nodeClassImdsV2: GuardrailRule = {
  id: "karpenter-imdsv2",
  requirement: "Every Karpenter EC2NodeClass requires IMDSv2 with a hop limit of 1.",
  rationale: "The nodes Karpenter launches follow the launch templates' rule: pods cannot reach the instance's credentials.",
  check: (stack) =>
    stack
      .resources("kubernetes_manifest")
      .filter((resource) => (resource.values.manifest as Record<string, unknown> | undefined)?.kind === "EC2NodeClass")
      .filter((resource) => {
        const spec = (resource.values.manifest as { spec?: { metadataOptions?: Record<string, unknown> } }).spec;
        return spec?.metadataOptions?.httpTokens !== "required" || spec.metadataOptions.httpPutResponseHopLimit !== 1;
      })
      .map((resource) => ({ address: resource.address, message: 'set spec.metadataOptions { httpTokens: "required", httpPutResponseHopLimit: 1 }' })),
};

export const karpenterInterruptionQueue: GuardrailRule = {
  id: "karpenter-interruption-queue",
  requirement: "Every Karpenter release is given an interruption queue (settings.interruptionQueue).",
  rationale: "Spot interruptions, rebalance recommendations and scheduled maintenance are handled by draining the node ahead of time, not discovered when it vanishes.",
  check: (stack) =>
    stack
      .resources("helm_release")
      .filter((release) => release.values.chart === "karpenter")
      .filter((release) => {
        const documents = [release.values.values ?? []].flat().filter((text): text is string => typeof text === "string");
        const inValues = documents.some((text) => typeof (parse(text) as { settings?: { interruptionQueue?: unknown } } | null)?.settings?.interruptionQueue === "string");
        const inSet = blocks(release.values.set).some((entry) => entry.name === "settings.interruptionQueue" && typeof entry.value === "string");
        return !inValues && !inSet;
      })
      .map((release) => ({ address: release.address, message: "set settings.interruptionQueue to the cluster's interruption queue" })),
};
