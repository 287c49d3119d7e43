/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // swc strips types without checking them (type-checking is `npm run typecheck`), with the options the synth's
  // require hook uses. Dynamic import() stays native so ES-module-only packages (@kubernetes-models/karpenter) load
  // through Node's VM modules (`npm test` runs jest with --experimental-vm-modules).
  transform: { "^.+\\.ts$": ["@swc/jest", require("./scripts/swc-options.cjs")] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // The committed environments are synthesized once per run, not once per test file.
  globalSetup: "<rootDir>/__tests__/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/global-teardown.ts",
  moduleFileExtensions: ["ts", "js", "json"],
  // Jest's default (one worker per core but one) is a single worker on the 2-core build machines.
  maxWorkers: 2,
  // Each test file loads the provider bindings afresh (about 100 MB) and a worker does not give all of it back:
  // restart a worker that ends a file above this, so a run's memory stays bounded.
  workerIdleMemoryLimit: "300MB",
  // Compiles each module once per worker, not once per test file (scripts/jest-code-cache-runtime.cjs).
  runtime: "<rootDir>/scripts/jest-code-cache-runtime.cjs",
};
