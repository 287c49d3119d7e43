import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";

export interface AppSecretStoreProps {
  /** Namespace of the application (and of its ExternalSecrets). */
  readonly namespace: string;
  /** The application, e.g. `frontend`: the store is `secrets-<app>`. */
  readonly app: string;
  /** Region of the secrets. */
  readonly region: string;
  /** Prefix of the application's secrets, `<project>-<env>/<app>/`: the only ones its reader role may read. */
  readonly secretPrefix: string;
  /** The role external-secrets assumes for this store (it reads `secretPrefix*` and nothing else). */
  readonly readerRoleArn: string;
}

/**
 * One application's external-secrets SecretStore (namespaced): external-secrets reads through it with a role that
 * may read only the application's own secrets, never the controller's identity, so an ExternalSecret cannot name
 * another application's secret, or any other secret of the environment, and get it synced.
 */
export class AppSecretStore extends Construct {
  /** Store name, for ExternalSecrets' `secretStoreRef`. */
  readonly name: string;
  /** Prefix of the secrets the store can read. */
  readonly secretPrefix: string;
  /** The manifest, for what must wait for the store. */
  readonly manifest: Manifest;

  constructor(scope: Construct, id: string, props: AppSecretStoreProps) {
    super(scope, id);
    if (!props.secretPrefix.endsWith(`/${props.app}/`)) throw new Error(`the secrets of ${props.app} must sit under <project>-<env>/${props.app}/ (got ${props.secretPrefix})`);
    this.name = `secrets-${props.app}`;
    this.secretPrefix = props.secretPrefix;
    this.manifest = new Manifest(this, "manifest", {
      manifest: {
        apiVersion: "external-secrets.io/v1",
        kind: "SecretStore",
        metadata: { name: this.name, namespace: props.namespace },
        spec: { provider: { aws: { service: "SecretsManager", region: props.region, role: props.readerRoleArn } } },
      },
    });
  }
}
