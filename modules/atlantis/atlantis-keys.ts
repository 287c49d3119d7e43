import { Construct } from "constructs";
import { cloudWatchLogsKeyStatement } from "../kms/key-statements";
import { EncryptionKey } from "../kms/kms-key";

export interface AtlantisKeysProps {
  /** Resource name prefix, `<project>-<env>`; aliases are `alias/<namePrefix>-atlantis-<purpose>`. */
  readonly namePrefix: string;
  /** Account of the keys; its root principal administers them. */
  readonly accountId: string;
  /** Region of the keys and of the services that use them. */
  readonly region: string;
  /** Adds Terraform `prevent_destroy` to every key. */
  readonly preventDestroy: boolean;
}

/**
 * The customer-managed keys of the Atlantis servers, one per kind of data, each usable only through its service:
 * `data` (the EFS data directory: checkouts, plan files, locks), `secrets` (the GitHub App secrets in Secrets
 * Manager), `images` (the server image in ECR) and `logs` (the servers' and the firewall's log groups).
 */
export class AtlantisKeys extends Construct {
  /** The data directory's file system (EFS). */
  readonly data: EncryptionKey;
  /** The GitHub App private keys and webhook secrets (Secrets Manager). */
  readonly secrets: EncryptionKey;
  /** The server image (ECR). */
  readonly images: EncryptionKey;
  /** The servers' log groups and the web ACL's (CloudWatch Logs). */
  readonly logs: EncryptionKey;

  constructor(scope: Construct, id: string, props: AtlantisKeysProps) {
    super(scope, id);
    const common = { namePrefix: props.namePrefix, accountId: props.accountId, region: props.region, preventDestroy: props.preventDestroy };
    this.data = new EncryptionKey(this, "data", {
      ...common,
      purpose: "atlantis-data",
      description: `Atlantis data directories of ${props.namePrefix} (EFS): checkouts, plan files, locks`,
      viaServices: ["elasticfilesystem"],
    });
    this.secrets = new EncryptionKey(this, "secrets", {
      ...common,
      purpose: "atlantis-secrets",
      description: `Atlantis GitHub App private keys and webhook secrets of ${props.namePrefix} (Secrets Manager)`,
      viaServices: ["secretsmanager"],
    });
    this.images = new EncryptionKey(this, "images", {
      ...common,
      purpose: "atlantis-images",
      description: `Atlantis server image of ${props.namePrefix} (ECR)`,
      viaServices: ["ecr"],
    });
    this.logs = new EncryptionKey(this, "logs", {
      ...common,
      purpose: "atlantis-logs",
      description: `Atlantis log groups of ${props.namePrefix} (servers and web ACL)`,
      viaServices: [],
      servicePrincipalStatements: [
        cloudWatchLogsKeyStatement(props.region, props.accountId, [atlantisLogGroupPattern(props.namePrefix), `${atlantisWafLogGroupName(props.namePrefix)}*`]),
      ],
    });
  }
}

/** Name prefix of the Atlantis resources (services, roles, load balancer): `<namePrefix>-atlantis`. */
export function atlantisPrefix(namePrefix: string): string {
  return `${namePrefix}-atlantis`;
}

/** Log group of one server: `/<namePrefix>/atlantis/<serverId>`. */
export function atlantisLogGroupName(namePrefix: string, serverId: string): string {
  return `/${namePrefix}/atlantis/${serverId}`;
}

function atlantisLogGroupPattern(namePrefix: string): string {
  return `/${namePrefix}/atlantis/*`;
}

/** The web ACL's log group (WAF requires the `aws-waf-logs-` prefix; WebAcl names it after its name prefix). */
export function atlantisWafLogGroupName(namePrefix: string): string {
  return `aws-waf-logs-${atlantisPrefix(namePrefix)}`;
}
