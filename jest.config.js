/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // swc strips types without checking them (type-checking is `npm run typecheck`), which keeps tests fast. Dynamic
  // import() stays native so ES-module-only packages (@kubernetes-models/karpenter) load through Node's VM modules
  // (`npm test` runs jest with --experimental-vm-modules).
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs", ignoreDynamic: true } }],
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // The committed environments are synthesized once per run, not once per test file.
  globalSetup: "<rootDir>/__tests__/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/global-teardown.ts",
  moduleFileExtensions: ["ts", "js", "json"],
};
