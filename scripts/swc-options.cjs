/**
 * How this repository compiles TypeScript, for jest (jest.config.js) and for the require hook that runs the synth and
 * the scripts (register-typescript.cjs): swc strips the types without checking them (type-checking is
 * `npm run typecheck`) and emits CommonJS; dynamic `import()` stays native, so ES-module-only packages
 * (@kubernetes-models/karpenter) load through Node. See https://swc.rs/docs/configuration/swcrc.
 */
module.exports = {
  jsc: { parser: { syntax: "typescript" }, target: "es2022" },
  module: { type: "commonjs", ignoreDynamic: true },
};
