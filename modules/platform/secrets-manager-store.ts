import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/** Name of the ClusterSecretStore application ExternalSecrets refer to. */
export const SECRETS_MANAGER_STORE = "aws-secrets-manager";

export interface SecretsManagerStoreProps {
  /** Region of the secrets. */
  readonly region: string;
  /** Namespaces whose ExternalSecrets may use the store. */
  readonly namespaces: readonly string[];
  /** The external-secrets release (its CRDs). */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * The ClusterSecretStore for AWS Secrets Manager. It has no auth block: the controller uses its own EKS Pod
 * Identity role, which may read only the environment's `<project>-<env>/*` secrets. Only the listed namespaces may
 * use it.
 */
export class SecretsManagerStore extends Construct {
  constructor(scope: Construct, id: string, props: SecretsManagerStoreProps) {
    super(scope, id);
    new Manifest(this, "manifest", {
      manifest: {
        apiVersion: "external-secrets.io/v1",
        kind: "ClusterSecretStore",
        metadata: { name: SECRETS_MANAGER_STORE },
        spec: {
          provider: { aws: { service: "SecretsManager", region: props.region } },
          conditions: [{ namespaces: [...props.namespaces] }],
        },
      },
      dependsOn: [...props.dependsOn],
    });
  }
}
