import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { Ec2NodeClass } from "./ec2-node-class";
import { KarpenterModels, validated } from "./karpenter-models";

/** A disruption budget: how many nodes Karpenter may disrupt at once, optionally only in a window or for reasons. */
export interface DisruptionBudget {
  readonly nodes: string;
  readonly schedule?: string;
  readonly duration?: string;
  readonly reasons?: readonly ("Underutilized" | "Empty" | "Drifted")[];
}

export interface NodePoolProps {
  /** The Karpenter models (validation against the CRD schema). */
  readonly models: KarpenterModels;
  /** Object name; also the value of the `proteomics.io/node-pool` label of its nodes, which workloads select. */
  readonly name: string;
  /** The node class its nodes use. */
  readonly nodeClass: Ec2NodeClass;
  /** Capacity types, in Karpenter's terms (`spot`, `on-demand`). */
  readonly capacityTypes: readonly string[];
  /** CPU architectures (`amd64`, `arm64`). */
  readonly architectures: readonly string[];
  /** Instance categories (`c`, `m`, `r`) and the oldest generation allowed. */
  readonly instanceCategories: readonly string[];
  readonly minimumGeneration: number;
  /** Ceiling on the pool's total capacity (Kubernetes quantities). */
  readonly limits: { readonly cpu: string; readonly memory: string };
  /** How long a node may live before it is replaced (e.g. `720h`). */
  readonly expireAfter: string;
  /** How long a node must be empty or underused before consolidation (e.g. `1m`). */
  readonly consolidateAfter: string;
  /** Disruption budgets. */
  readonly budgets: readonly DisruptionBudget[];
  /** What must exist first besides the node class (the Karpenter controller, whose finalizer the pool carries). */
  readonly dependsOn: readonly ITerraformDependable[];
}

/** The label key every node pool sets on its nodes. */
export const NODE_POOL_LABEL = "proteomics.io/node-pool";

/**
 * A Karpenter NodePool: current-generation instances of the given categories and architectures, Spot and/or
 * on-demand, consolidated when empty or underutilized after `consolidateAfter` within the disruption budgets,
 * replaced after `expireAfter`, capped by CPU and memory limits. Validated against the Karpenter v1 CRD schema at
 * synth.
 */
export class NodePool extends Construct {
  /** The manifest resource. */
  readonly manifest: Manifest;

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    const model = validated(
      new props.models.NodePool({
        metadata: { name: props.name },
        spec: {
          template: {
            metadata: { labels: { [NODE_POOL_LABEL]: props.name } },
            spec: {
              nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: props.nodeClass.name },
              requirements: [
                { key: "karpenter.sh/capacity-type", operator: "In", values: [...props.capacityTypes] },
                { key: "kubernetes.io/arch", operator: "In", values: [...props.architectures] },
                { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
                { key: "karpenter.k8s.aws/instance-category", operator: "In", values: [...props.instanceCategories] },
                { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: [String(props.minimumGeneration - 1)] },
              ],
              expireAfter: props.expireAfter,
            },
          },
          disruption: {
            consolidationPolicy: "WhenEmptyOrUnderutilized",
            consolidateAfter: props.consolidateAfter,
            budgets: props.budgets.map((budget) => ({ ...budget, reasons: budget.reasons ? [...budget.reasons] : undefined })),
          },
          limits: { cpu: props.limits.cpu, memory: props.limits.memory },
        },
      }),
      "NodePool",
      props.name,
      scope.node.path,
    );
    this.manifest = new Manifest(this, "manifest", {
      manifest: model.toJSON() as Record<string, unknown>,
      dependsOn: [props.nodeClass.manifest, ...props.dependsOn],
    });
  }
}
