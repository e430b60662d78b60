import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Server } from "node:http";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import type { AppRuntime } from "#app/platform/runtime.server";

/**
 * HTTP server for the production build: static assets + the Remix handler, with the runtime passed
 * to every loader/action as load context.  The job runner and outbox relay run in this process
 * (the embedded runtime); stop() drains them before closing the database.
 */
export async function startServer(runtime: AppRuntime, opts: { root: string; host: string; port: number }) {
  const buildFile = path.join(opts.root, "build/server/index.js");
  const build = (await import(pathToFileURL(buildFile).href)) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  app.use("/assets", express.static(path.join(opts.root, "build/client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(opts.root, "build/client"), { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, getLoadContext: () => ({ runtime }) }));

  runtime.startWorkers();
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port, opts.host, () => resolve(s));
    s.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  return {
    url: `http://${opts.host === "::1" ? "[::1]" : opts.host}:${port}`,
    port,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await runtime.close();
    },
  };
}
