import { ALB_SCHEME_ANNOTATION, ALB_WAF_ANNOTATION, INGRESS_WAF_POLICY } from "../../modules/platform/ingress-waf-admission";
import { APP_NAMESPACE } from "../../stacks/naming";
import { ENVIRONMENT_NAMES } from "../helpers/environments";
import { StackJson, resourcesOf, synthesizedStacks } from "../helpers/synth";

// The API server refuses an internet-facing Ingress without a WAFv2 web ACL: the synthesized ValidatingAdmissionPolicy's
// CEL expression, evaluated by a CEL engine (@marcbachmann/cel-js) on the Ingresses it must admit or refuse.

type CelModule = { evaluate: (expression: string, context: Record<string, unknown>) => unknown };
const cel = () => import("@marcbachmann/cel-js") as Promise<CelModule>;

describe.each(ENVIRONMENT_NAMES)("%s ingress WAF admission", (name) => {
  const stacks = synthesizedStacks(name);
  const manifests = Object.values(resourcesOf(stacks[`${name}-platform`], "kubernetes_manifest")).map((resource) => resource.manifest as StackJson);
  const policy = manifests.find((manifest) => manifest.kind === "ValidatingAdmissionPolicy" && manifest.metadata.name === INGRESS_WAF_POLICY)!;
  const binding = manifests.find((manifest) => manifest.kind === "ValidatingAdmissionPolicyBinding")!;
  const ingress = (annotations?: Record<string, string>) => ({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "x", namespace: APP_NAMESPACE, ...(annotations ? { annotations } : {}) } });
  const admits = async (object: object) => (await cel()).evaluate(policy.spec.validations[0].expression, { object });

  it("applies to every Ingress created or updated, fails closed, and denies", () => {
    expect(policy.spec.failurePolicy).toBe("Fail");
    expect(policy.spec.matchConstraints.resourceRules).toEqual([{ apiGroups: ["networking.k8s.io"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["ingresses"] }]);
    expect(binding.spec).toEqual({ policyName: INGRESS_WAF_POLICY, validationActions: ["Deny"] });
  });

  it("admits the applications' Ingress as the apps stack writes it", async () => {
    const ours = Object.values(resourcesOf(stacks[`${name}-apps`], "kubernetes_ingress_v1"))[0];
    const annotations = { ...ours.metadata.annotations, [ALB_WAF_ANNOTATION]: "arn:aws:wafv2:sa-east-1:111122223333:regional/webacl/proteomics/abc" };
    expect(ours.metadata.annotations[ALB_SCHEME_ANNOTATION]).toBe("internet-facing");
    expect(ours.metadata.annotations[ALB_WAF_ANNOTATION]).toMatch(/^\$\{aws_wafv2_web_acl\./);
    expect(await admits(ingress(annotations))).toBe(true);
  });

  it("refuses an internet-facing Ingress without a web ACL, or with something else in its place", async () => {
    expect(await admits(ingress({ [ALB_SCHEME_ANNOTATION]: "internet-facing" }))).toBe(false);
    expect(await admits(ingress({ [ALB_SCHEME_ANNOTATION]: "internet-facing", [ALB_WAF_ANNOTATION]: "" }))).toBe(false);
    expect(await admits(ingress({ [ALB_SCHEME_ANNOTATION]: "internet-facing", [ALB_WAF_ANNOTATION]: "none" }))).toBe(false);
  });

  it("admits internal Ingresses and Ingresses without annotations (the controller makes them internal)", async () => {
    expect(await admits(ingress())).toBe(true);
    expect(await admits(ingress({ [ALB_SCHEME_ANNOTATION]: "internal" }))).toBe(true);
  });
});
