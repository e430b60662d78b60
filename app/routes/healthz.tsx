import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

/** Liveness + database reachability, for load balancers and the e2e harness. */
export const loader = async ({ context }: LoaderFunctionArgs) => {
  const { runtime } = context;
  try {
    await runtime.db.$queryRawUnsafe("SELECT 1");
    return json({ ok: true, mode: runtime.env.APP_MODE, database: runtime.provider });
  } catch (e) {
    runtime.logger.error("health check failed", { err: e });
    return json({ ok: false, error: "database unreachable" }, { status: 503 });
  }
};
