/**
 * Jest's runtime (jest.config.js `runtime`) with a V8 code cache shared by the test files a worker runs.
 *
 * Jest gives each test file its own module registry, so every file compiles the modules it loads again: the provider
 * bindings alone are about 30 MB of JavaScript, and compiling them was a third of `npm test`'s CPU time. This keeps,
 * per worker, the code cache V8 produces when it first compiles a file (`vm.compileFunction`'s `cachedData`), and
 * hands it to the next compilation of the same file. V8 checks that a cache matches the source and rejects one that
 * does not (then the file is compiled as usual), so a cache can make a compilation faster but not different.
 *
 * It wraps the compile step of jest-runtime's module executor (jest 30); should a jest release move it, the runtime
 * is jest's own, uncached.
 */
const vm = require("node:vm");
const Runtime = require("jest-runtime").default;

/** Code cache by file name, for the life of the worker. */
const codeCache = new Map();

class CodeCacheRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    const executor = this.executor;
    if (typeof executor?.compile !== "function" || !Array.isArray(executor.injectedModuleParameters)) return;
    const compile = executor.compile.bind(executor);
    executor.compile = (scriptSource, filename) => {
      const vmContext = executor.environment.getVmContext();
      // A function compiled from a code cache loses its dynamic import() callback (Node 20: "A dynamic import callback
      // was not specified"): modules that use import() are compiled as jest does.
      if (vmContext == null || executor.resolution.isCoreModule(filename) || scriptSource.includes("import(")) return compile(scriptSource, filename);
      const cachedData = codeCache.get(filename);
      let compiled;
      try {
        compiled = vm.compileFunction(scriptSource, executor.injectedModuleParameters, {
          filename,
          parsingContext: vmContext,
          cachedData,
          produceCachedData: cachedData === undefined,
          // As jest's own compile: a module's import() goes through jest's module loader.
          importModuleDynamically: async (specifier, _function, importAttributes, ...rest) =>
            executor.dynamicImport(specifier, filename, vmContext, importAttributes, rest[0]),
        });
      } catch {
        // jest's compile reports a syntax error its way (with the ES module hint).
        return compile(scriptSource, filename);
      }
      if (cachedData === undefined && compiled.cachedData) codeCache.set(filename, compiled.cachedData);
      else if (compiled.cachedDataRejected) codeCache.delete(filename);
      return compiled;
    };
  }
}

module.exports = CodeCacheRuntime;
module.exports.default = CodeCacheRuntime;
