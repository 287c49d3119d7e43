import { App } from "cdktf";
import { EnvironmentConfig } from "../environments";
import { StateStack } from "./state-stack";

/** The stacks of one environment, by layer. */
export interface EnvironmentStacks {
  readonly state: StateStack;
}

/** Creates every stack of one environment, wired together (the one place later layers are added). */
export function createEnvironmentStacks(app: App, env: EnvironmentConfig): EnvironmentStacks {
  const state = new StateStack(app, env);
  return { state };
}
