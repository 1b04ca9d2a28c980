// ESLint (flat config) with typescript-eslint's recommended rules, not type-checked (fast, no
// program). Run by `npm test` (npm run lint) over the whole tree.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["node_modules/**", "dist/**", "out/**", ".tools/**", ".test-output/**", "shared/**", ".gl/**", ".whl/**", "**/*-wasm.ts"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.node },
    },
    // Directives written for stricter rule sets (no-explicit-any, no-implied-eval) stay valid.
    linterOptions: { reportUnusedDisableDirectives: "off" },
    rules: {
      // Native and optional packages (tfjs, sharp, webgpu, better-sqlite3) are loaded with a
      // lazy require() on first use, on purpose: a missing one must not break the whole bundle.
      "@typescript-eslint/no-require-imports": "off",
      // `const self = this` for the nested functions that need the instance (kernel, executor).
      "@typescript-eslint/no-this-alias": "off",
      // ANSI escape sequences are matched with \x1b in regular expressions.
      "no-control-regex": "off",
      // Flags the initial value of variables assigned in every branch of a try/catch or if/else.
      "no-useless-assignment": "off",
      // Protocol payloads and third-party shapes are typed `any` on purpose at the edges.
      "@typescript-eslint/no-explicit-any": "off",
      // `_`-prefixed names are deliberately unused (destructuring to drop a field, callback arity).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
    },
  },
  {
    // CommonJS files and the renderers (browser webviews)
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
  },
  {
    files: ["extension/renderers/**", "media/**/*.js"],
    languageOptions: { globals: { ...globals.browser } },
  },
);
