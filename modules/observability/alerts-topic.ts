import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { accountRootArn, policyDocument } from "../iam/policy-document";
import { EncryptionKey } from "../kms/kms-key";

export interface AlertsTopicProps {
  /** Resource name prefix, `<project>-<env>`: the topic is `<prefix>-alerts`, and only alarms named `<prefix>-*` may publish. */
  readonly namePrefix: string;
  /** Account of the environment. */
  readonly accountId: string;
  /** Region of the environment. */
  readonly region: string;
  /** Email addresses subscribed to the topic (each confirms the subscription from its inbox). */
  readonly emails: readonly string[];
  /** Adds Terraform `prevent_destroy` to the topic's key. */
  readonly preventDestroy: boolean;
}

/** The AWS services that publish alerts: CloudWatch alarms and EventBridge rules. */
const PUBLISHERS = { alarms: "cloudwatch.amazonaws.com", rules: "events.amazonaws.com" } as const;

/**
 * The environment's alerts topic: every alarm and alerting rule of every layer notifies it (alarms on alarm and on
 * recovery). Encrypted with its own key, used by CloudWatch, EventBridge and the account's principals through SNS;
 * only this account's alarms named after the environment, EventBridge rules and the account may publish, over TLS;
 * the configured people are subscribed by email.
 */
export class AlertsTopic extends Construct {
  /** Topic ARN, for alarm actions and rule targets. */
  readonly arn: string;
  /** Topic name. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: AlertsTopicProps) {
    super(scope, id);
    const sourceAccount = { "aws:SourceAccount": props.accountId };
    const key = new EncryptionKey(this, "key", {
      namePrefix: props.namePrefix,
      purpose: "alerts",
      description: `Alerts topic of ${props.namePrefix}`,
      accountId: props.accountId,
      region: props.region,
      viaServices: ["sns"],
      preventDestroy: props.preventDestroy,
      servicePrincipalStatements: [
        {
          Sid: "AlarmsPublishEncrypted",
          Effect: "Allow",
          Principal: { Service: PUBLISHERS.alarms },
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: "*",
          Condition: { StringEquals: sourceAccount },
        },
        {
          // SNS does not pass aws:SourceAccount/aws:SourceArn to KMS for EventBridge deliveries: a condition here
          // would silently drop every rule's notification (SNS developer guide, encrypted topics).
          Sid: "RulesPublishEncrypted",
          Effect: "Allow",
          Principal: { Service: PUBLISHERS.rules },
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: "*",
        },
      ],
    });
    this.name = `${props.namePrefix}-alerts`;
    const topic = new SnsTopic(this, "topic", { name: this.name, displayName: `${props.namePrefix} alerts`, kmsMasterKeyId: key.arn });
    this.arn = topic.arn;
    const arnOf = (service: string, resource: string) => `arn:aws:${service}:${props.region}:${props.accountId}:${resource}`;
    new SnsTopicPolicy(this, "policy", {
      arn: topic.arn,
      policy: policyDocument([
        {
          Sid: "AccountManagesTopic",
          Effect: "Allow",
          Principal: { AWS: accountRootArn(props.accountId) },
          Action: ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"],
          Resource: topic.arn,
        },
        {
          Sid: "EnvironmentAlarmsPublish",
          Effect: "Allow",
          Principal: { Service: PUBLISHERS.alarms },
          Action: "sns:Publish",
          Resource: topic.arn,
          Condition: { StringEquals: sourceAccount, ArnLike: { "aws:SourceArn": arnOf("cloudwatch", `alarm:${props.namePrefix}-*`) } },
        },
        {
          // EventBridge evaluates no Condition block in an SNS topic policy (EventBridge user guide).
          Sid: "EventRulesPublish",
          Effect: "Allow",
          Principal: { Service: PUBLISHERS.rules },
          Action: "sns:Publish",
          Resource: topic.arn,
        },
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "sns:Publish",
          Resource: topic.arn,
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]),
    });
    props.emails.forEach((email, index) => {
      new SnsTopicSubscription(this, `email-${index}`, { topicArn: topic.arn, protocol: "email", endpoint: email });
    });
  }
}
