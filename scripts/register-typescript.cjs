/**
 * Runs TypeScript in Node: `node -r ./scripts/register-typescript.cjs main.ts` (npm run synth, the CDKTF CLI through
 * cdktf.json, the other npm scripts). Each `.ts` file outside node_modules is compiled by swc with the options jest
 * uses (swc-options.cjs) when it is first required.
 *
 * Why not tsx: tsx also scans every JavaScript file the process loads for ES module syntax, and the provider bindings
 * are 30 MB of it (inline source maps included): about 0.6 s of every synth. Source maps are off unless Node's are
 * (NODE_OPTIONS=--enable-source-maps): with them on, Node also parses the providers' inline maps, about 1 s more.
 */
const { transformSync } = require("@swc/core");
const { addHook } = require("pirates");
const SWC_OPTIONS = require("./swc-options.cjs");

const sourceMaps = process.sourceMapsEnabled ? "inline" : false;
addHook((code, filename) => transformSync(code, { ...SWC_OPTIONS, filename, sourceMaps }).code, {
  exts: [".ts"],
  ignoreNodeModules: true,
});
