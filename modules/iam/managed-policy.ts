import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Construct } from "constructs";
import { PolicyStatement, policyDocument } from "./policy-document";

/** IAM's limit on a customer managed policy document, in characters (whitespace excluded). */
export const MANAGED_POLICY_MAX_CHARACTERS = 6144;

/** Characters a `${...}` reference may take once Terraform resolves it (an ARN); used for the size estimate. */
const RESOLVED_REFERENCE_CHARACTERS = 160;

/** The size a policy document will have once applied, counting each unresolved reference as a long ARN. */
export function estimatedPolicySize(document: string): number {
  return document.replace(/\$\{[^}]*\}/g, "x".repeat(RESOLVED_REFERENCE_CHARACTERS)).replace(/\s/g, "").length;
}

export interface ManagedPolicyProps {
  /** Policy name. */
  readonly policyName: string;
  /** What the policy allows. */
  readonly description: string;
  /** The statements. */
  readonly statements: readonly PolicyStatement[];
}

/** A customer managed IAM policy; refuses a document that would exceed IAM's size limit. */
export class ManagedPolicy extends Construct {
  /** Policy ARN. */
  readonly arn: string;
  /** The policy document as synthesized. */
  readonly document: string;

  constructor(scope: Construct, id: string, props: ManagedPolicyProps) {
    super(scope, id);
    this.document = policyDocument(props.statements);
    const size = estimatedPolicySize(this.document);
    if (size > MANAGED_POLICY_MAX_CHARACTERS) {
      throw new Error(`Managed policy ${props.policyName} would be ${size} characters, over IAM's ${MANAGED_POLICY_MAX_CHARACTERS}; split it`);
    }
    this.arn = new IamPolicy(this, "policy", { name: props.policyName, description: props.description, policy: this.document }).arn;
  }
}
