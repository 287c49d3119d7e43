import { App } from "cdktf";
import { AnyEnvironmentConfig, EnvironmentConfig, LoadedEnvironments, ToolingConfig } from "../environments";
import { KarpenterModels, loadKarpenterModels } from "../modules/karpenter/karpenter-models";
import { AppsStack } from "./apps-stack";
import { AtlantisStack } from "./atlantis-stack";
import { ClusterStack } from "./cluster-stack";
import { DataStack } from "./data-stack";
import { IdentityStack } from "./identity-stack";
import { NetworkStack } from "./network-stack";
import { PipelineStack } from "./pipeline-stack";
import { PlatformStack } from "./platform-stack";
import { SecurityStack } from "./security-stack";
import { StateStack } from "./state-stack";
import { ToolingPeeringStack } from "./tooling-peering-stack";

/** The stacks of one workload environment, by layer. */
export interface EnvironmentStacks {
  readonly state: StateStack;
  readonly identity: IdentityStack;
  readonly network: NetworkStack;
  readonly security: SecurityStack;
  readonly data: DataStack;
  readonly cluster: ClusterStack;
  readonly platform: PlatformStack;
  readonly pipeline: PipelineStack;
  readonly apps: AppsStack;
}

/** The stacks of the tooling environment, by layer. */
export interface ToolingStacks {
  readonly state: StateStack;
  readonly identity: IdentityStack;
  readonly network: NetworkStack;
  readonly security: SecurityStack;
  readonly atlantis: AtlantisStack;
  readonly peering: ToolingPeeringStack;
}

/** What the stacks need that must be loaded before they are built (ES modules, see `loadStackDependencies`). */
export interface StackDependencies {
  /** Typed Karpenter models that validate NodePools and EC2NodeClasses against the CRD schemas. */
  readonly karpenterModels: KarpenterModels;
}

/**
 * Creates every stack of one workload environment, wired together (the one place later layers are added). With the
 * tooling environment, its network requests the peering to the tooling VPC and its cluster admits Atlantis.
 */
export function createEnvironmentStacks(app: App, env: EnvironmentConfig, dependencies: StackDependencies, tooling?: ToolingConfig): EnvironmentStacks {
  const state = new StateStack(app, env);
  // Every stack keeps its state in the bucket the state stack creates: apply that one first.
  const identity = new IdentityStack(app, env, tooling);
  identity.addDependency(state);
  const network = new NetworkStack(app, env, tooling);
  network.addDependency(identity);
  // The detection baseline comes before anything that holds data, so the trail records it from the start.
  const security = new SecurityStack(app, env, network.alerts);
  const data = new DataStack(app, env, network.network, network.alerts);
  data.addDependency(security);
  const cluster = new ClusterStack(app, env, network.network, data, network.alerts, tooling);
  const platform = new PlatformStack(app, env, network.network, cluster, dependencies.karpenterModels);
  const pipeline = new PipelineStack(app, env, network.network, data, cluster, network.alerts);
  const apps = new AppsStack(app, env, network.network, data, cluster, pipeline);
  // Its namespace, ClusterSecretStore and NodePool come from the platform stack (by name, not reference).
  apps.addDependency(platform);
  return { state, identity, network, security, data, cluster, platform, pipeline, apps };
}

/**
 * Creates the tooling environment's stacks: state, identity (its human roles), network, the Atlantis servers (which
 * may assume the workload environments' plan and deploy roles) and the acceptance of the workloads' peering requests.
 */
export function createToolingStacks(app: App, tooling: ToolingConfig, workloads: readonly EnvironmentConfig[]): ToolingStacks {
  const state = new StateStack(app, tooling);
  const identity = new IdentityStack(app, tooling);
  identity.addDependency(state);
  // Atlantis reads every workload environment's state (S3) and locks (DynamoDB) through the tooling VPC's endpoints.
  const network = new NetworkStack(app, tooling, undefined, workloads.map((env) => env.awsAccountId));
  network.addDependency(identity);
  const security = new SecurityStack(app, tooling, network.alerts);
  const atlantis = new AtlantisStack(app, tooling, network.network, network.alerts, workloads);
  atlantis.addDependency(security);
  const peering = new ToolingPeeringStack(app, tooling, network.network, workloads);
  return { state, identity, network, security, atlantis, peering };
}

/**
 * Creates the stacks of the selected environments (default all). Every environment's configuration is still read:
 * a workload's stacks need the tooling's (peering, Atlantis's addresses) and the tooling's need every workload's.
 */
export function createStacks(app: App, environments: LoadedEnvironments, dependencies: StackDependencies, selected?: readonly AnyEnvironmentConfig[]): void {
  const wanted = (env: AnyEnvironmentConfig) => selected === undefined || selected.some((candidate) => candidate.name === env.name);
  if (environments.tooling && wanted(environments.tooling)) createToolingStacks(app, environments.tooling, environments.workloads);
  for (const env of environments.workloads.filter(wanted)) createEnvironmentStacks(app, env, dependencies, environments.tooling);
}

/** Loads what the stacks need before they can be built. */
export async function loadStackDependencies(): Promise<StackDependencies> {
  return { karpenterModels: await loadKarpenterModels() };
}
