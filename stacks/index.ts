import { App } from "cdktf";
import { EnvironmentConfig } from "../environments";
import { ClusterStack } from "./cluster-stack";
import { DataStack } from "./data-stack";
import { NetworkStack } from "./network-stack";
import { StateStack } from "./state-stack";

/** The stacks of one environment, by layer. */
export interface EnvironmentStacks {
  readonly state: StateStack;
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly cluster: ClusterStack;
}

/** Creates every stack of one environment, wired together (the one place later layers are added). */
export function createEnvironmentStacks(app: App, env: EnvironmentConfig): EnvironmentStacks {
  const state = new StateStack(app, env);
  const network = new NetworkStack(app, env);
  // Every stack keeps its state in the bucket the state stack creates: apply that one first.
  network.addDependency(state);
  const data = new DataStack(app, env, network.network);
  const cluster = new ClusterStack(app, env, network.network, data);
  return { state, network, data, cluster };
}
