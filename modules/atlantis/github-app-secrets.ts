import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Construct } from "constructs";
import { Grantable } from "../iam/iam-role";
import { EncryptionKey } from "../kms/kms-key";

/** Environment variable that carries the GitHub App's private key (PEM) into Atlantis (`--gh-app-key`). */
export const GITHUB_APP_KEY_VARIABLE = "ATLANTIS_GH_APP_KEY";
/** Environment variable that carries the webhook secret into Atlantis (`--gh-webhook-secret`). */
export const GITHUB_WEBHOOK_SECRET_VARIABLE = "ATLANTIS_GH_WEBHOOK_SECRET";

export interface GitHubAppSecretsProps {
  /** Resource name prefix, `<project>-<env>`. */
  readonly namePrefix: string;
  /** The Atlantis server the secrets belong to; part of their names. */
  readonly serverId: string;
  /** Region of the secrets (for the commands that put their values). */
  readonly region: string;
  /** Key that encrypts both secrets. */
  readonly encryptionKey: EncryptionKey;
  /** Adds Terraform `prevent_destroy` to both secrets. */
  readonly preventDestroy: boolean;
}

/** An ECS container definition's `secrets` entry: the variable and the secret it is read from. */
export interface ContainerSecret {
  /** Environment variable the value is put in. */
  readonly name: string;
  /** ARN of the secret it is read from. */
  readonly valueFrom: string;
}

/**
 * The two secrets of one Atlantis server's GitHub App, in Secrets Manager under the given key: the App's private key
 * and the webhook secret. Terraform creates the secrets but never their values (no `aws_secretsmanager_secret_version`,
 * so no value in the plan or the state): an administrator puts them out of band with {@link putValueCommands}, and
 * ECS injects them into the container as `secrets` when a task starts (a task started before they exist fails to
 * start; once they are put, `aws ecs update-service --force-new-deployment` starts it).
 */
export class GitHubAppSecrets extends Construct {
  /** Name of the private key's secret, `<namePrefix>/atlantis/<serverId>/github-app-key`. */
  readonly appKeyName: string;
  /** ARN of the private key's secret. */
  readonly appKeyArn: string;
  /**
   * Name of the webhook secret's secret, `<namePrefix>/atlantis/<serverId>/github-webhook-key` (a name must not end
   * in a hyphen and six characters, as `-secret` would: Secrets Manager takes that for an ARN's random suffix).
   */
  readonly webhookSecretName: string;
  /** ARN of the webhook secret's secret. */
  readonly webhookSecretArn: string;
  /** The container's `secrets`: each variable Atlantis reads, from its secret's ARN. */
  readonly containerSecrets: readonly ContainerSecret[];
  /**
   * The commands that put the values (run once, by an administrator of the account, with the App's downloaded key
   * and the webhook secret also entered in the App's settings).
   */
  readonly putValueCommands: readonly string[];
  private readonly key: EncryptionKey;
  private readonly region: string;

  constructor(scope: Construct, id: string, props: GitHubAppSecretsProps) {
    super(scope, id);
    this.key = props.encryptionKey;
    this.region = props.region;
    const base = `${props.namePrefix}/atlantis/${props.serverId}`;
    this.appKeyName = `${base}/github-app-key`;
    this.webhookSecretName = `${base}/github-webhook-key`;
    const secret = (secretId: string, name: string, description: string) =>
      new SecretsmanagerSecret(this, secretId, {
        name,
        description,
        kmsKeyId: props.encryptionKey.arn,
        recoveryWindowInDays: 30,
        lifecycle: { preventDestroy: props.preventDestroy },
      }).arn;
    this.appKeyArn = secret("app-key", this.appKeyName, `Private key (PEM) of the GitHub App of the Atlantis ${props.serverId} server; value put out of band`);
    this.webhookSecretArn = secret(
      "webhook-key",
      this.webhookSecretName,
      `Webhook secret of the GitHub App of the Atlantis ${props.serverId} server (also set in the App's settings); value put out of band`,
    );
    this.containerSecrets = [
      { name: GITHUB_APP_KEY_VARIABLE, valueFrom: this.appKeyArn },
      { name: GITHUB_WEBHOOK_SECRET_VARIABLE, valueFrom: this.webhookSecretArn },
    ];
    this.putValueCommands = [
      `aws secretsmanager put-secret-value --region ${props.region} --secret-id ${this.appKeyName} --secret-string file://<app>.private-key.pem`,
      `aws secretsmanager put-secret-value --region ${props.region} --secret-id ${this.webhookSecretName} --secret-string "$WEBHOOK_SECRET"`,
    ];
  }

  /** Lets `grantee` (the server's task execution role) read both values, decrypting through Secrets Manager only. */
  grantRead(grantee: Grantable): void {
    grantee.addToPolicy(
      { Sid: "ReadGitHubAppSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [this.appKeyArn, this.webhookSecretArn] },
      {
        Sid: "DecryptGitHubAppSecrets",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: this.key.arn,
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${this.region}.amazonaws.com` } },
      },
    );
  }
}
