import type { RegionPrices } from "./price-list";

/**
 * On-demand list prices of South America (São Paulo), sa-east-1, in USD, for what the cost model prices. Read on
 * 2025-06-18 from the data AWS renders its pricing pages with (b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps), as
 * mirrored in github.com/QuinnyPig/aws-price-watcher (commit a6645eb); the us-east-1 EC2 prices of that snapshot
 * equal those of Karpenter's generated price table of 2026-07-20, so they had not moved since. Update a price by
 * checking its AWS page and changing it here, with its date.
 */
export const SA_EAST_1_PRICES: RegionPrices = {
  "alb:hour": { usd: 0.034, unit: "hour", source: "https://aws.amazon.com/elasticloadbalancing/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/elb.json)", asOf: "2025-06-18" },
  "cloudwatch:alarm-metric-month": { usd: 0.135, unit: "alarm metric-month", source: "https://aws.amazon.com/cloudwatch/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/cloudwatch.json)", asOf: "2025-06-18" },
  "cloudwatch:dashboard-month": { usd: 3.0, unit: "dashboard-month", source: "https://aws.amazon.com/cloudwatch/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/cloudwatch.json)", asOf: "2025-06-18" },
  "cloudwatch:logs-ingestion-gb": { usd: 0.9, unit: "GB", source: "https://aws.amazon.com/cloudwatch/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/cloudwatch.json)", asOf: "2025-06-18" },
  "ebs:gp3": { usd: 0.152, unit: "GB-month", source: "https://aws.amazon.com/ebs/pricing/ (read from third-party tables of AWS's regional rates: confirm on the AWS page)", asOf: "2025-06-18" },
  "ec2:c6i.4xlarge": { usd: 1.048, unit: "hour", source: "https://aws.amazon.com/ec2/pricing/on-demand/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/ec2.json)", asOf: "2025-06-18" },
  "ec2:c7i.4xlarge": { usd: 1.1004, unit: "hour", source: "https://aws.amazon.com/ec2/pricing/on-demand/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/ec2.json)", asOf: "2025-06-18" },
  "ec2:m5.large": { usd: 0.153, unit: "hour", source: "https://aws.amazon.com/ec2/pricing/on-demand/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/ec2.json)", asOf: "2025-06-18" },
  "ec2:m5.xlarge": { usd: 0.306, unit: "hour", source: "https://aws.amazon.com/ec2/pricing/on-demand/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/ec2.json)", asOf: "2025-06-18" },
  "ec2:m6i.4xlarge": { usd: 1.224, unit: "hour", source: "https://aws.amazon.com/ec2/pricing/on-demand/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/ec2.json)", asOf: "2025-06-18" },
  "ec2:m6i.large": { usd: 0.153, unit: "hour", source: "https://aws.amazon.com/ec2/pricing/on-demand/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/ec2.json)", asOf: "2025-06-18" },
  "ec2:m6i.xlarge": { usd: 0.306, unit: "hour", source: "https://aws.amazon.com/ec2/pricing/on-demand/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/ec2.json)", asOf: "2025-06-18" },
  "ec2:m7i.4xlarge": { usd: 1.2852, unit: "hour", source: "https://aws.amazon.com/ec2/pricing/on-demand/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/ec2.json)", asOf: "2025-06-18" },
  "ec2:r6i.4xlarge": { usd: 1.608, unit: "hour", source: "https://aws.amazon.com/ec2/pricing/on-demand/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/ec2.json)", asOf: "2025-06-18" },
  "ec2:r7i.4xlarge": { usd: 1.6884, unit: "hour", source: "https://aws.amazon.com/ec2/pricing/on-demand/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/ec2.json)", asOf: "2025-06-18" },
  "ec2:t4g.micro": { usd: 0.0134, unit: "hour", source: "https://aws.amazon.com/ec2/pricing/on-demand/ (derived: half of t4g.small's 0.0268, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/ec2.json; T4g prices are proportional to size)", asOf: "2025-06-18" },
  "eks:extended-hour": { usd: 0.6, unit: "cluster-hour", source: "https://aws.amazon.com/eks/pricing/ (0.10 standard plus 0.50 extended support, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/eks.json)", asOf: "2025-06-18" },
  "eks:standard-hour": { usd: 0.1, unit: "cluster-hour", source: "https://aws.amazon.com/eks/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/eks.json)", asOf: "2025-06-18" },
  "fargate:arm:gb-hour": { usd: 0.00612, unit: "GB-hour", source: "https://aws.amazon.com/fargate/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/ecs.json)", asOf: "2025-06-18" },
  "fargate:arm:vcpu-hour": { usd: 0.0557, unit: "vCPU-hour", source: "https://aws.amazon.com/fargate/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/ecs.json)", asOf: "2025-06-18" },
  "fargate:x86:gb-hour": { usd: 0.0076, unit: "GB-hour", source: "https://aws.amazon.com/fargate/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/ecs.json)", asOf: "2025-06-18" },
  "fargate:x86:vcpu-hour": { usd: 0.0696, unit: "vCPU-hour", source: "https://aws.amazon.com/fargate/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/ecs.json)", asOf: "2025-06-18" },
  "kms:key-month": { usd: 1.0, unit: "key-month", source: "https://aws.amazon.com/kms/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/kms.json)", asOf: "2025-06-18" },
  "nat-gateway:hour": { usd: 0.093, unit: "hour", source: "https://aws.amazon.com/vpc/pricing/ (read from a third-party table of AWS's regional rates: confirm on the AWS page)", asOf: "2025-06-18" },
  "public-ipv4:hour": { usd: 0.005, unit: "address-hour", source: "https://aws.amazon.com/vpc/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/vpc.json)", asOf: "2025-06-18" },
  "rds:db.m6g.large:multi-az": { usd: 0.416, unit: "hour", source: "https://aws.amazon.com/rds/postgresql/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/rds-postgresql-ondemand.json)", asOf: "2025-06-18" },
  "rds:db.m6g.large:single-az": { usd: 0.208, unit: "hour", source: "https://aws.amazon.com/rds/postgresql/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/rds-postgresql-ondemand.json)", asOf: "2025-06-18" },
  "rds:db.r6g.xlarge:multi-az": { usd: 1.871, unit: "hour", source: "https://aws.amazon.com/rds/postgresql/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/rds-postgresql-ondemand.json)", asOf: "2025-06-18" },
  "rds:db.r6g.xlarge:single-az": { usd: 0.935, unit: "hour", source: "https://aws.amazon.com/rds/postgresql/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/rds-postgresql-ondemand.json)", asOf: "2025-06-18" },
  "rds:db.t4g.medium:multi-az": { usd: 0.275, unit: "hour", source: "https://aws.amazon.com/rds/postgresql/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/rds-postgresql-ondemand.json)", asOf: "2025-06-18" },
  "rds:db.t4g.medium:single-az": { usd: 0.137, unit: "hour", source: "https://aws.amazon.com/rds/postgresql/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/rds-postgresql-ondemand.json)", asOf: "2025-06-18" },
  "rds:performance-insights-additional-month:vcpu-month": { usd: 0.1308, unit: "vCPU-month", source: "https://aws.amazon.com/rds/performance-insights/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/rds-postgresql-ondemand.json)", asOf: "2025-06-18" },
  "rds:performance-insights-first-month:vcpu-month": { usd: 3.1098, unit: "vCPU-month", source: "https://aws.amazon.com/rds/performance-insights/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/rds-postgresql-ondemand.json)", asOf: "2025-06-18" },
  "rds:proxy:vcpu-hour": { usd: 0.03, unit: "vCPU-hour", source: "https://aws.amazon.com/rds/proxy/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/rds-proxy.json)", asOf: "2025-06-18" },
  "rds:storage-gp3:multi-az": { usd: 0.438, unit: "GB-month", source: "https://aws.amazon.com/rds/postgresql/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/rds-storage.json)", asOf: "2025-06-18" },
  "rds:storage-gp3:single-az": { usd: 0.219, unit: "GB-month", source: "https://aws.amazon.com/rds/postgresql/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/rds-storage.json)", asOf: "2025-06-18" },
  "redshift:ra3.4xlarge": { usd: 5.195, unit: "node-hour", source: "https://aws.amazon.com/redshift/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/redshift.json)", asOf: "2025-06-18" },
  "redshift:ra3.xlplus": { usd: 1.731, unit: "node-hour", source: "https://aws.amazon.com/redshift/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/redshift.json)", asOf: "2025-06-18" },
  "s3:get-1000": { usd: 0.00056, unit: "1,000 requests", source: "https://aws.amazon.com/s3/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/s3.json)", asOf: "2025-06-18" },
  "s3:put-1000": { usd: 0.007, unit: "1,000 requests", source: "https://aws.amazon.com/s3/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/s3.json)", asOf: "2025-06-18" },
  "s3:standard-gb-month": { usd: 0.0405, unit: "GB-month", source: "https://aws.amazon.com/s3/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/s3.json)", asOf: "2025-06-18" },
  "secrets-manager:secret-month": { usd: 0.4, unit: "secret-month", source: "https://aws.amazon.com/secrets-manager/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/secretsmanager.json)", asOf: "2025-06-18" },
  "step-functions:1000-transitions": { usd: 0.0375, unit: "1,000 transitions", source: "https://aws.amazon.com/step-functions/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/states.json)", asOf: "2025-06-18" },
  "vpc-endpoint:interface-az-hour": { usd: 0.021, unit: "endpoint-zone-hour", source: "https://aws.amazon.com/privatelink/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/vpc.json)", asOf: "2025-06-18" },
  "waf:rule-month": { usd: 1.0, unit: "rule-month", source: "https://aws.amazon.com/waf/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/waf.json)", asOf: "2025-06-18" },
  "waf:web-acl-month": { usd: 5.0, unit: "web ACL-month", source: "https://aws.amazon.com/waf/pricing/ (AWS's page data, mirrored in QuinnyPig/aws-price-watcher@a6645eb processed/waf.json)", asOf: "2025-06-18" },
};
