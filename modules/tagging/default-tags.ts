import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";

/**
 * The `default_tags` of the AWS provider of `scope`'s stack (the one without an alias): the environment's cost
 * allocation and ownership tags. Provider default tags reach the resources Terraform creates, not what AWS launches
 * on its behalf (Batch and EKS node group instances, their volumes and interfaces), so constructs that launch
 * capacity copy these into `tag_specifications` and `compute_resources.tags`. Empty when the stack has no such
 * provider or its tags are not literal.
 */
export function providerDefaultTags(scope: IConstruct): Readonly<Record<string, string>> {
  const provider = TerraformStack.of(scope)
    .node.children.filter((child): child is AwsProvider => child instanceof AwsProvider)
    .find((candidate) => candidate.alias === undefined);
  const blocks = provider?.defaultTags;
  if (!Array.isArray(blocks)) return {};
  return Object.assign({}, ...blocks.map((block) => block.tags ?? {}));
}
