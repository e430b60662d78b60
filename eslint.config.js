// ESLint flat config.  Besides the usual checks it enforces the import boundaries of
// ARCHITECTURE.md ("Rules of the house") — see docs/architecture.md.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const PURE = ["app/modules/*/domain/**", "connectors/*/mappers/**", "extensions/*/src/**"];

const pureRestrictedSyntax = [
  { selector: "MemberExpression[object.name='process']", message: "Pure code gets configuration passed in; it may not read process." },
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "Pure code takes the time as an argument (no clock)." },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Pure code takes the time as an argument (no clock)." },
  { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: "Pure code takes randomness as an argument." },
  { selector: "CallExpression[callee.name='fetch']", message: "Pure code does no I/O." },
];

// Other areas use a module through its index.ts only (one door per area).
// ("#" starts a comment in gitignore-style `group` patterns, so "#app/…" aliases use `regex`.)
const moduleInternals = { regex: "^#app/modules/[^/]+/(?!index$).+", message: "Import a module through its index.ts (ARCHITECTURE.md rule 2)." };

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", "extensions/*/dist/**", "test-results/**", "prisma/postgres/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser }, ecmaVersion: 2023, sourceType: "module" },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-imports": ["error", { patterns: [moduleInternals] }],
    },
  },
  {
    // Configuration is parsed once (env.server.ts); only entry points hand process.env to it.
    files: ["app/**"],
    ignores: ["app/platform/env.server.ts", "app/cli/main.ts"],
    rules: {
      "no-restricted-syntax": ["error", { selector: "MemberExpression[object.name='process'][property.name='env']", message: "Read configuration from runtime.env (app/platform/env.server.ts)." }],
    },
  },
  {
    files: PURE,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            moduleInternals,
            { group: ["@prisma/*", ".prisma/*"], message: "Pure code may not touch the database." },
            { regex: "^#app/platform/db/", message: "Pure code may not touch the database." },
            { group: ["node:*", "fs", "fs/*", "path", "http", "https", "net", "child_process", "os", "crypto"], message: "Pure code may not do I/O or use Node APIs." },
            { group: ["**/*.server", "**/*.server.*"], message: "Pure code may only import other pure code (and #app/platform/errors)." },
            { regex: "^#app/platform/(?!errors$|db/)", message: "Pure code may only import other pure code (and #app/platform/errors)." },
          ],
        },
      ],
      "no-restricted-syntax": ["error", ...pureRestrictedSyntax],
      "no-restricted-globals": ["error", { name: "process", message: "Pure code may not read process." }],
    },
  },
  {
    files: ["connectors/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^(#app/|(\\.\\./)+app/)", message: "connectors/ may not import app/ (ARCHITECTURE.md rule 3)." },
            { group: ["@prisma/*", ".prisma/*"], message: "Connectors never touch the database." },
          ],
        },
      ],
    },
  },
  {
    files: ["app/routes/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            moduleInternals,
            { group: ["@prisma/*", ".prisma/*"], message: "Routes are glue: call a module or workflow, never Prisma." },
            { regex: "^#app/platform/db/", message: "Routes are glue: call a module or workflow, never Prisma." },
          ],
        },
      ],
    },
  },
);
