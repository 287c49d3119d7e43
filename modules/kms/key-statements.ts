import { PolicyStatement } from "../iam/policy-document";
import { KEY_USAGE_ACTIONS } from "./kms-key";

/**
 * Lets CloudWatch Logs encrypt the log groups whose names match `logGroupNamePatterns` (e.g. `/aws/vpc/flow-logs/*`)
 * in this account and region, and nothing else (the encryption context names the log group).
 */
export function cloudWatchLogsKeyStatement(region: string, accountId: string, logGroupNamePatterns: readonly string[]): PolicyStatement {
  return {
    Sid: "CloudWatchLogsEncryptsLogGroups",
    Effect: "Allow",
    Principal: { Service: `logs.${region}.amazonaws.com` },
    // CloudWatch Logs encrypts and decrypts itself; it needs no grants.
    Action: KEY_USAGE_ACTIONS.filter((action) => action !== "kms:CreateGrant"),
    Resource: "*",
    Condition: {
      ArnLike: {
        "kms:EncryptionContext:aws:logs:arn": logGroupNamePatterns.map(
          (pattern) => `arn:aws:logs:${region}:${accountId}:log-group:${pattern}`,
        ),
      },
    },
  };
}
