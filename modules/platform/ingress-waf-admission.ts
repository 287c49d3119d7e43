import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";

/** The annotations the AWS Load Balancer Controller reads for an Ingress's scheme and web ACL. */
export const ALB_SCHEME_ANNOTATION = "alb.ingress.kubernetes.io/scheme";
export const ALB_WAF_ANNOTATION = "alb.ingress.kubernetes.io/wafv2-acl-arn";

/** The policy's name (and its binding's). */
export const INGRESS_WAF_POLICY = "internet-facing-ingress-requires-waf";

/**
 * The CEL rule: an Ingress the controller would expose to the internet names a WAFv2 web ACL. Annotations may be
 * missing entirely (`has`), and only the `alb` class is the controller's.
 */
export const INGRESS_WAF_EXPRESSION =
  `!has(object.metadata.annotations) || !('${ALB_SCHEME_ANNOTATION}' in object.metadata.annotations) || ` +
  `object.metadata.annotations['${ALB_SCHEME_ANNOTATION}'] != 'internet-facing' || ` +
  `('${ALB_WAF_ANNOTATION}' in object.metadata.annotations && object.metadata.annotations['${ALB_WAF_ANNOTATION}'].startsWith('arn:aws:wafv2:'))`;

/**
 * A ValidatingAdmissionPolicy (Kubernetes' built-in CEL admission, GA since 1.30) and its binding, denying: the API
 * server refuses to create or update an Ingress that is internet-facing without a WAFv2 web ACL, whoever applies it
 * (a Helm chart, `kubectl`, a compromised controller). AWS Config's `ALB_WAF_ENABLED` catches a load balancer made
 * any other way; the `ingress-https-waf` guardrail checks the platform's own Ingress at synth.
 */
export class IngressWafAdmission extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const policy = new Manifest(this, "policy", {
      manifest: {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicy",
        metadata: { name: INGRESS_WAF_POLICY },
        spec: {
          failurePolicy: "Fail",
          matchConstraints: {
            resourceRules: [{ apiGroups: ["networking.k8s.io"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["ingresses"] }],
          },
          validations: [
            {
              expression: INGRESS_WAF_EXPRESSION,
              message: `An internet-facing Ingress must name a WAFv2 web ACL (${ALB_WAF_ANNOTATION})`,
              reason: "Forbidden",
            },
          ],
        },
      },
    });
    new Manifest(this, "binding", {
      manifest: {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicyBinding",
        metadata: { name: INGRESS_WAF_POLICY },
        spec: { policyName: INGRESS_WAF_POLICY, validationActions: ["Deny"] },
      },
      dependsOn: [policy],
    });
  }
}
