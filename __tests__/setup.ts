// Registers the cdktf matchers (toHaveResourceWithProperties, ...) on jest's expect.
import { setupJest } from "cdktf/lib/testing/adapters/jest";
import { skipTokenCreationStacks } from "../stacks/token-creation-stacks";

setupJest();

// As main.ts does: no stack trace for each token cdktf creates (stacks/token-creation-stacks.ts).
skipTokenCreationStacks();

// aws-local-stepfunctions (the States Language interpreter the pipeline tests run) uses Promise.withResolvers, which
// Node 22 added; Node 20 (still supported by the quick start) gets this equivalent.
const promiseStatics = Promise as unknown as { withResolvers?: () => unknown };
promiseStatics.withResolvers ??= () => {
  let resolve!: (value: unknown) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
