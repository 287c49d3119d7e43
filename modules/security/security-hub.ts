import { SecurityhubAccount } from "@cdktf/provider-aws/lib/securityhub-account";
import { SecurityhubStandardsSubscription } from "@cdktf/provider-aws/lib/securityhub-standards-subscription";
import { Construct } from "constructs";

/** The AWS Foundational Security Best Practices standard's ARN in a region (standards ARNs have no account). */
export function foundationalBestPracticesArn(region: string): string {
  return `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`;
}

/**
 * Security Hub for the account and region, with the AWS Foundational Security Best Practices standard only (the
 * default standards are not enabled: each standard is a choice reviewed in the plan), and one finding per control
 * across standards (consolidated control findings). Its controls evaluate through AWS Config's recorder.
 */
export class SecurityHub extends Construct {
  constructor(scope: Construct, id: string, props: { readonly region: string }) {
    super(scope, id);
    const account = new SecurityhubAccount(this, "account", { enableDefaultStandards: false, controlFindingGenerator: "SECURITY_CONTROL", autoEnableControls: true });
    new SecurityhubStandardsSubscription(this, "foundational-best-practices", {
      standardsArn: foundationalBestPracticesArn(props.region),
      dependsOn: [account],
    });
  }
}
