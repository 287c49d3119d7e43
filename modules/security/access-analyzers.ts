import { AccessanalyzerAnalyzer } from "@cdktf/provider-aws/lib/accessanalyzer-analyzer";
import { Construct } from "constructs";

/**
 * IAM Access Analyzer for the account: external access (a bucket, key, queue or role another account could reach,
 * such as a resource policy the deploy role wrote), and unused access (roles, keys and permissions not used for
 * `unusedAccessAgeDays`), both reported to Security Hub.
 */
export class AccessAnalyzers extends Construct {
  constructor(scope: Construct, id: string, props: { readonly namePrefix: string; readonly unusedAccessAgeDays: number }) {
    super(scope, id);
    new AccessanalyzerAnalyzer(this, "external", { analyzerName: `${props.namePrefix}-external-access`, type: "ACCOUNT" });
    new AccessanalyzerAnalyzer(this, "unused", {
      analyzerName: `${props.namePrefix}-unused-access`,
      type: "ACCOUNT_UNUSED_ACCESS",
      configuration: { unusedAccess: { unusedAccessAge: props.unusedAccessAgeDays } },
    });
  }
}
