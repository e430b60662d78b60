import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";
import remixOptions from "./remix.config.js";

// The "#app/*"-style aliases of package.json "imports", with extension lookup (tsconfig "paths"
// says the same for TypeScript and tsx).
const alias = ["app", "connectors", "test", "prisma"].map((dir) => ({
  find: new RegExp(`^#${dir}/`),
  replacement: fileURLToPath(new URL(`./${dir}/`, import.meta.url)),
}));

const setupFiles = ["test/setup/global.ts"];

// Test suites are chosen by file suffix (ARCHITECTURE.md "Tests"):
//   unit         *.test.ts beside the code (not contract/integration/e2e)
//   contract     connectors/**/*.contract.test.ts — nock + published fixtures
//   integration  test/integration/**/*.integration.test.ts — real SQLite (+ Postgres when DATABASE_URL is set)
//   e2e          test/e2e/**/*.e2e.test.ts — the running app in Debian's Chromium
export default defineConfig({
  // The Remix plugin builds the app; it must stay out of vitest runs.
  plugins: process.env.VITEST ? [] : [remix(remixOptions)],
  resolve: { alias },
  server: { port: 3000, host: "127.0.0.1" },
  build: { target: "es2022" },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["app/**/*.test.{ts,tsx}", "connectors/**/*.test.ts", "extensions/*/src/**/*.test.ts", "scripts/**/*.test.ts", "test/unit/**/*.test.ts"],
          exclude: ["**/*.contract.test.ts", "**/*.integration.test.ts", "**/*.e2e.test.ts", "**/node_modules/**"],
          setupFiles,
        },
      },
      {
        extends: true,
        test: { name: "contract", include: ["connectors/**/*.contract.test.ts", "app/**/*.contract.test.ts"], setupFiles },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.integration.test.ts"],
          setupFiles,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each file gets its own databases; files run in parallel on both cores.
          fileParallelism: true,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.e2e.test.ts"],
          setupFiles,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
