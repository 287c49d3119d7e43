import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { Construct } from "constructs";
import { Grantable } from "../iam/iam-role";
import { PolicyStatement, policyDocument } from "../iam/policy-document";
import { EncryptionKey } from "../kms/kms-key";
import { Metric } from "../observability/metric";

export interface EncryptedQueueProps {
  /** Queue name. */
  readonly queueName: string;
  /** Key that encrypts the messages; its policy must admit the producers. */
  readonly encryptionKey: EncryptionKey;
  /** How long a message is kept, in seconds. */
  readonly retentionSeconds: number;
  /** How long a received message stays invisible to other consumers, in seconds. @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** Where messages go after `maxReceiveCount` failed receives. @default none */
  readonly deadLetter?: { readonly queue: EncryptedQueue; readonly maxReceiveCount: number };
  /** Who may send (statements after the TLS-only deny). @default none */
  readonly policyStatements?: (queueArn: string) => readonly PolicyStatement[];
}

/** Queue policy statement: the EventBridge rules `ruleArns` (and no other rule) may send to `queueArn`. */
export function eventBridgeRulesSend(sid: string, queueArn: string, ruleArns: string | readonly string[]): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: "events.amazonaws.com" },
    Action: "sqs:SendMessage",
    Resource: queueArn,
    Condition: { ArnEquals: { "aws:SourceArn": ruleArns } },
  };
}

/**
 * An SQS queue encrypted with a customer-managed key, whose policy refuses every request without TLS, optionally
 * draining into a dead-letter queue.
 */
export class EncryptedQueue extends Construct {
  /** Queue name. */
  readonly name: string;
  /** Queue ARN. */
  readonly arn: string;
  /** Queue URL. */
  readonly url: string;
  private readonly key: EncryptionKey;
  private readonly queueName: string;

  constructor(scope: Construct, id: string, props: EncryptedQueueProps) {
    super(scope, id);
    this.key = props.encryptionKey;
    this.queueName = props.queueName;
    const queue = new SqsQueue(this, "queue", {
      name: props.queueName,
      messageRetentionSeconds: props.retentionSeconds,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds ?? 30,
      kmsMasterKeyId: props.encryptionKey.arn,
      kmsDataKeyReusePeriodSeconds: 300,
      redrivePolicy: props.deadLetter
        ? JSON.stringify({ deadLetterTargetArn: props.deadLetter.queue.arn, maxReceiveCount: props.deadLetter.maxReceiveCount })
        : undefined,
    });
    this.name = queue.name;
    this.arn = queue.arn;
    this.url = queue.url;
    new SqsQueuePolicy(this, "policy", {
      queueUrl: queue.url,
      policy: policyDocument([
        ...(props.policyStatements?.(queue.arn) ?? []),
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "sqs:*",
          Resource: queue.arn,
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]),
    });
  }

  /** Lets `grantee` receive, delete and extend messages (and decrypt them). */
  grantConsume(grantee: Grantable): void {
    grantee.addToPolicy(
      {
        Effect: "Allow",
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
        Resource: this.arn,
      },
      { Effect: "Allow", Action: "kms:Decrypt", Resource: this.key.arn },
    );
  }

  /** A CloudWatch metric of the queue (`AWS/SQS`). */
  metric(metricName: string, statistic: Metric["statistic"], label?: string): Metric {
    return { namespace: "AWS/SQS", metricName, dimensions: { QueueName: this.queueName }, statistic, label };
  }
}
