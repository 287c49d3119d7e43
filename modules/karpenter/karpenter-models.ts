/**
 * Typed Karpenter v1 models (`@kubernetes-models/karpenter`), generated from Karpenter's CRD schemas and able to
 * validate an object against them. The package is published as ES modules only, so it is loaded with `import()`
 * once, before the stacks are built, and handed to the constructs that need it.
 */

type NodePoolClass = (typeof import("@kubernetes-models/karpenter/karpenter.sh/v1/NodePool"))["NodePool"];
type EC2NodeClassClass = (typeof import("@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass"))["EC2NodeClass"];

/** The model classes the platform builds. */
export interface KarpenterModels {
  readonly NodePool: NodePoolClass;
  readonly EC2NodeClass: EC2NodeClassClass;
}

/** Constructor argument of a NodePool, as the CRD schema types it. */
export type NodePoolData = ConstructorParameters<NodePoolClass>[0];
/** Constructor argument of an EC2NodeClass, as the CRD schema types it. */
export type EC2NodeClassData = ConstructorParameters<EC2NodeClassClass>[0];

/** Loads the models (ES modules) for the synth. */
export async function loadKarpenterModels(): Promise<KarpenterModels> {
  // One after the other: they share modules, and jest's ES module loader mislinks concurrent imports of them.
  const { NodePool } = await import("@kubernetes-models/karpenter/karpenter.sh/v1/NodePool");
  const { EC2NodeClass } = await import("@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass");
  return { NodePool, EC2NodeClass };
}

/** Validates a model against its CRD schema; the error names the object and lists every schema violation. */
export function validated<T extends { validate(): void; toJSON(): unknown }>(model: T, kind: string, name: string, where: string): T {
  try {
    model.validate();
  } catch (error) {
    throw new Error(`Invalid Karpenter ${kind} "${name}" in ${where}: ${(error as Error).message}`, { cause: error });
  }
  return model;
}
