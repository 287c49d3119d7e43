import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The AWS Architecture Icons the diagrams use, from the npm package `aws-icons` (MIT for the packaging; the artwork is
 * AWS's, under AWS's terms for the icons: docs/diagrams/CREDITS.md). Graphviz draws them as `<image>` elements
 * named `icon-<key>.svg`; `inlineIcons` then embeds each as a data URI, so the SVG and PNG need no other file.
 */
export const ICONS = {
  users: "resource/Users.svg",
  client: "resource/Client.svg",
  github: "resource/GitRepository.svg",
  email: "resource/Email.svg",
  route53: "architecture-service/AmazonRoute53.svg",
  igw: "resource/AmazonVPCInternetGateway.svg",
  nat: "resource/AmazonVPCNATGateway.svg",
  peering: "resource/AmazonVPCPeeringConnection.svg",
  endpoints: "resource/AmazonVPCEndpoints.svg",
  publicSubnet: "architecture-group/Publicsubnet.svg",
  privateSubnet: "architecture-group/Privatesubnet.svg",
  alb: "resource/ElasticLoadBalancingApplicationLoadBalancer.svg",
  waf: "architecture-service/AWSWAF.svg",
  acm: "architecture-service/AWSCertificateManager.svg",
  eks: "architecture-service/AmazonElasticKubernetesService.svg",
  batch: "architecture-service/AWSBatch.svg",
  ec2: "architecture-service/AmazonEC2.svg",
  sfn: "architecture-service/AWSStepFunctions.svg",
  lambda: "architecture-service/AWSLambda.svg",
  eventbridge: "architecture-service/AmazonEventBridge.svg",
  schedule: "resource/AmazonEventBridgeScheduler.svg",
  sqs: "architecture-service/AmazonSimpleQueueService.svg",
  sns: "architecture-service/AmazonSimpleNotificationService.svg",
  s3: "architecture-service/AmazonSimpleStorageService.svg",
  rds: "architecture-service/AmazonRDS.svg",
  rdsProxy: "resource/AmazonRDSProxyInstanceAlternate.svg",
  redshift: "architecture-service/AmazonRedshift.svg",
  ecr: "architecture-service/AmazonElasticContainerRegistry.svg",
  ecs: "architecture-service/AmazonElasticContainerService.svg",
  efs: "resource/AmazonElasticFileSystemFileSystem.svg",
  kms: "architecture-service/AWSKeyManagementService.svg",
  secrets: "architecture-service/AWSSecretsManager.svg",
  iam: "resource/AWSIdentityAccessManagementRole.svg",
  cloudtrail: "architecture-service/AWSCloudTrail.svg",
  guardduty: "architecture-service/AmazonGuardDuty.svg",
  securityhub: "architecture-service/AWSSecurityHub.svg",
  config: "architecture-service/AWSConfig.svg",
  accessAnalyzer: "resource/AWSIdentityAccessManagementIAMAccessAnalyzer.svg",
  cloudwatch: "architecture-service/AmazonCloudWatch.svg",
  ssm: "resource/AWSSystemsManagerSessionManager.svg",
  dynamodb: "architecture-service/AmazonDynamoDB.svg",
  terraform: "resource/SourceCode.svg",
} as const;

export type IconKey = keyof typeof ICONS;

/** Side of an icon in the diagrams, in points. */
export const ICON_SIZE = 44;

const ROOT = path.join(path.dirname(require.resolve("aws-icons/package.json")), "icons");

/** The name Graphviz knows an icon by. */
export const iconName = (key: IconKey) => `icon-${key}.svg`;

/** The images option of @viz-js/viz: every icon's name and size. */
export function iconImages(): { name: string; width: number; height: number }[] {
  return (Object.keys(ICONS) as IconKey[]).map((key) => ({ name: iconName(key), width: ICON_SIZE, height: ICON_SIZE }));
}

/** Graphviz's SVG with every `icon-<key>.svg` reference replaced by the icon itself, as a data URI. */
export function inlineIcons(svg: string): string {
  return svg.replace(/xlink:href="icon-(\w+)\.svg"/g, (_match, key: string) => {
    const file = ICONS[key as IconKey];
    if (!file) throw new Error(`unknown icon ${key}`);
    return `xlink:href="data:image/svg+xml;base64,${fs.readFileSync(path.join(ROOT, file)).toString("base64")}"`;
  });
}

/** The files of the icons a DOT text uses, relative to the package's `icons/` directory. */
export function iconsUsed(dot: string): string[] {
  return [...new Set([...dot.matchAll(/src="icon-(\w+)\.svg"/g)].map((match) => ICONS[match[1] as IconKey]))].sort();
}
