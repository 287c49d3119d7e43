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
 * recovery). Encrypted with its own key, used for this topic only by CloudWatch, EventBridge and the account's
 * principals through SNS; only this account's alarms and EventBridge rules named after the environment, and the
 * account, may publish, over TLS;
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
    this.name = `${props.namePrefix}-alerts`;
    const arnOf = (service: string, resource: string) => `arn:aws:${service}:${props.region}:${props.accountId}:${resource}`;
    // SNS names the topic in the encryption context of every data key it asks for: this key serves this topic only.
    const forThisTopic = { "kms:EncryptionContext:aws:sns:topicArn": arnOf("sns", this.name) };
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
          Condition: { StringEquals: { ...sourceAccount, ...forThisTopic } },
        },
        {
          // AWS does not support aws:SourceAccount/aws:SourceArn in a key policy for EventBridge-to-encrypted-topic
          // deliveries (SNS developer guide, key management): such a condition would drop every rule's notification.
          // The topic policy checks the rule; here the encryption context keeps the key to this topic.
          Sid: "RulesPublishEncrypted",
          Effect: "Allow",
          Principal: { Service: PUBLISHERS.rules },
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: "*",
          Condition: { StringEquals: forThisTopic },
        },
      ],
    });
    const topic = new SnsTopic(this, "topic", { name: this.name, displayName: `${props.namePrefix} alerts`, kmsMasterKeyId: key.arn });
    this.arn = topic.arn;
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
          // EventBridge sends the rule's ARN with each delivery to a target's resource policy; a rule that cannot
          // deliver raises its own FailedInvocations alarm (see JobQueues.addAlarms).
          Sid: "EnvironmentRulesPublish",
          Effect: "Allow",
          Principal: { Service: PUBLISHERS.rules },
          Action: "sns:Publish",
          Resource: topic.arn,
          Condition: { StringEquals: sourceAccount, ArnLike: { "aws:SourceArn": arnOf("events", `rule/${props.namePrefix}-*`) } },
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
