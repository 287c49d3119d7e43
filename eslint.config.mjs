import js from "@eslint/js";
import tseslint from "typescript-eslint";

const rootProviderImport = {
  regex: "^@cdktf/provider-(aws|kubernetes|helm)(/lib)?/?$",
  message:
    "Import provider classes by deep path (e.g. @cdktf/provider-aws/lib/vpc): the package root loads every resource module (seconds and ~1 GB per process).",
};

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", "coverage/", "**/*.js", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Lambda functions: plain ES modules run by the Node.js runtime.
    files: ["functions/**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", setTimeout: "readonly" } },
  },
  {
    // Node's CommonJS modules: the require hook, jest's runtime and the options they share.
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", process: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.ts", "**/*.mjs"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [rootProviderImport] }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
);
