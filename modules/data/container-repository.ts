import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Construct } from "constructs";
import { EncryptionKey } from "../kms/kms-key";

export interface ContainerRepositoryProps {
  /** Repository name, e.g. `proteomics-dev/api`. */
  readonly repositoryName: string;
  /** Key that encrypts the images. */
  readonly encryptionKey: EncryptionKey;
  /** Tagged images kept; older ones expire. */
  readonly keepImages: number;
  /** Days an untagged image is kept. */
  readonly untaggedExpireDays: number;
  /** Adds Terraform `prevent_destroy`. @default true */
  readonly preventDestroy?: boolean;
}

/**
 * An ECR repository with immutable tags (a tag always names the same image, so a deploy is reproducible), a
 * vulnerability scan on every push, KMS encryption, and a lifecycle policy that expires untagged images and keeps
 * the newest tagged ones.
 */
export class ContainerRepository extends Construct {
  /** Repository URL, `<account>.dkr.ecr.<region>.amazonaws.com/<name>`. */
  readonly url: string;
  /** Repository ARN. */
  readonly arn: string;
  /** Repository name. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: ContainerRepositoryProps) {
    super(scope, id);
    const repository = new EcrRepository(this, "repository", {
      name: props.repositoryName,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: props.encryptionKey.arn }],
      forceDelete: false,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Expire untagged images after ${props.untaggedExpireDays} days`,
            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: props.untaggedExpireDays },
            action: { type: "expire" },
          },
          {
            rulePriority: 2,
            description: `Keep the newest ${props.keepImages} images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: props.keepImages },
            action: { type: "expire" },
          },
        ],
      }),
    });
    this.url = repository.repositoryUrl;
    this.arn = repository.arn;
    this.name = repository.name;
  }
}
