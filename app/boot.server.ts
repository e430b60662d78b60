import { registerJobs } from "./jobs/index.server";
import { recordInstall } from "./modules/shops/index";
import type { Env } from "./platform/env.server";
import type { Logger } from "./platform/logger.server";
import { createRuntime, type AppRuntime } from "./platform/runtime.server";

/**
 * The composition root: the platform runtime plus the app's install hook and jobs.  The server,
 * the CLI and the integration tests all boot through here, so they run the same wiring.
 */
export function bootRuntime(env: Env, opts: { logger?: Logger; now?: () => Date } = {}): AppRuntime {
  const runtime = createRuntime(env, {
    ...opts,
    afterAuth: async (rt, { session, admin }) => {
      const shop = await recordInstall(rt.db, { shop: session.shop, scopes: session.scope ?? "", admin, now: rt.now() });
      rt.logger.info("shop installed", { shop: shop.domain, name: shop.name });
    },
  });
  registerJobs(runtime);
  return runtime;
}
