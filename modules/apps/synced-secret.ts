import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import { EncryptionKey } from "../kms/kms-key";
import { AppSecretStore } from "./app-secret-store";

export interface SyncedSecretProps {
  /** Secrets Manager name, `<project>-<env>/<app>/<purpose>`: under its store's prefix. */
  readonly secretName: string;
  /** What the secret is. */
  readonly description: string;
  /** Key that encrypts it. */
  readonly encryptionKey: EncryptionKey;
  /** Days a deleted secret can be restored. */
  readonly recoveryWindowDays: number;
  /** Adds Terraform `prevent_destroy` (the value exists nowhere else). */
  readonly preventDestroy: boolean;
  /** Namespace of the Kubernetes Secret the value is synced into. */
  readonly namespace: string;
  /** Name of that Kubernetes Secret. */
  readonly kubernetesSecretName: string;
  /** Key of the value in that Kubernetes Secret. */
  readonly kubernetesKey: string;
  /** The application's SecretStore, which reads only its own secrets. */
  readonly store: AppSecretStore;
  /**
   * Terraform address name of the Secrets Manager secret, stable so that a first apply can target it and its value be
   * set before anything reads it (docs/provisioning.md).
   */
  readonly addressName: string;
}

/**
 * A secret whose value lives in Secrets Manager only (encrypted with the secrets key; generated once by the
 * provisioning guide's command, so it is neither in code nor in Terraform state), synced into a Kubernetes Secret
 * by external-secrets every hour.
 */
export class SyncedSecret extends Construct {
  /** Secret ARN. */
  readonly arn: string;
  /** The ExternalSecret, for the pods that must not start before it. */
  readonly externalSecret: Manifest;

  constructor(scope: Construct, id: string, props: SyncedSecretProps) {
    super(scope, id);
    if (!props.secretName.startsWith(props.store.secretPrefix)) {
      throw new Error(`secret ${props.secretName} is outside its store's prefix ${props.store.secretPrefix}: its ExternalSecret could not read it`);
    }
    const secret = new SecretsmanagerSecret(this, "secret", {
      name: props.secretName,
      description: props.description,
      kmsKeyId: props.encryptionKey.arn,
      recoveryWindowInDays: props.recoveryWindowDays,
      lifecycle: { preventDestroy: props.preventDestroy },
    });
    secret.overrideLogicalId(props.addressName);
    this.arn = secret.arn;
    this.externalSecret = new Manifest(this, "external-secret", {
      manifest: {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: props.kubernetesSecretName, namespace: props.namespace },
        spec: {
          refreshInterval: "1h",
          secretStoreRef: { kind: "SecretStore", name: props.store.name },
          target: { name: props.kubernetesSecretName, creationPolicy: "Owner" },
          data: [{ secretKey: props.kubernetesKey, remoteRef: { key: secret.name } }],
        },
      },
      dependsOn: [props.store.manifest],
    });
  }
}
