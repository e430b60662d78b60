#!/usr/bin/env node
// The `oms` operator CLI (package.json "bin").  Runs the TypeScript sources through tsx.
import { register } from "tsx/esm/api";

register();
const { main, UsageError } = await import("../app/cli/main.ts");
const { EnvError } = await import("../app/platform/env.server.ts");
try {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exit(code);
} catch (e) {
  if (e instanceof UsageError) {
    console.error(`oms: ${e.message} (see oms --help)`);
    process.exit(2);
  }
  if (e instanceof EnvError) {
    console.error(e.message);
    process.exit(78); // EX_CONFIG
  }
  if (e instanceof Error && e.name === "DomainError") {
    // Expected failures (unknown SKU, bad input…): the message says what is wrong; no stack.
    console.error(`oms: ${e.message}`);
    process.exit(1);
  }
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
}
