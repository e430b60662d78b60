import type { AppRuntime } from "./runtime.server";

// Remix hands every loader/action the load context built by the server (app/cli/serve.server.ts).
declare module "@remix-run/node" {
  interface AppLoadContext {
    runtime: AppRuntime;
  }
}

export {};
