import { App } from "cdktf";
import { EnvironmentConfig } from "../environments";
import { KarpenterModels, loadKarpenterModels } from "../modules/karpenter/karpenter-models";
import { AppsStack } from "./apps-stack";
import { ClusterStack } from "./cluster-stack";
import { DataStack } from "./data-stack";
import { NetworkStack } from "./network-stack";
import { PipelineStack } from "./pipeline-stack";
import { PlatformStack } from "./platform-stack";
import { StateStack } from "./state-stack";

/** The stacks of one environment, by layer. */
export interface EnvironmentStacks {
  readonly state: StateStack;
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly cluster: ClusterStack;
  readonly platform: PlatformStack;
  readonly pipeline: PipelineStack;
  readonly apps: AppsStack;
}

/** What the stacks need that must be loaded before they are built (ES modules, see `loadStackDependencies`). */
export interface StackDependencies {
  /** Typed Karpenter models that validate NodePools and EC2NodeClasses against the CRD schemas. */
  readonly karpenterModels: KarpenterModels;
}

/** Creates every stack of one environment, wired together (the one place later layers are added). */
export function createEnvironmentStacks(app: App, env: EnvironmentConfig, dependencies: StackDependencies): EnvironmentStacks {
  const state = new StateStack(app, env);
  const network = new NetworkStack(app, env);
  // Every stack keeps its state in the bucket the state stack creates: apply that one first.
  network.addDependency(state);
  const data = new DataStack(app, env, network.network, network.alerts);
  const cluster = new ClusterStack(app, env, network.network, data, network.alerts);
  const platform = new PlatformStack(app, env, network.network, cluster, dependencies.karpenterModels);
  const pipeline = new PipelineStack(app, env, network.network, data, cluster, network.alerts);
  const apps = new AppsStack(app, env, network.network, data, cluster, pipeline);
  // Its namespace, ClusterSecretStore and NodePool come from the platform stack (by name, not reference).
  apps.addDependency(platform);
  return { state, network, data, cluster, platform, pipeline, apps };
}

/** Loads what the stacks need before they can be built. */
export async function loadStackDependencies(): Promise<StackDependencies> {
  return { karpenterModels: await loadKarpenterModels() };
}
