import type { Db } from "./db/client.server";
import { DomainError } from "./errors";
import type { Env } from "./env.server";
import type { AdminGraphql, ShopifyApp } from "./shopify.server";

/**
 * Who is asking, for admin pages.  In Shopify mode this is `authenticate.admin` (session token →
 * offline session; its thrown redirects/401s pass through untouched).  In sandbox mode — the local
 * demo, bound to loopback only (env.server.ts) — every request acts as the seeded demo shop and no
 * Admin API client exists.
 */
export interface AdminContext {
  shop: string;
  mode: "shopify" | "sandbox";
  /** The Admin GraphQL client; null in sandbox mode. */
  admin: AdminGraphql | null;
}

export interface AdminAuth {
  admin(request: Request): Promise<AdminContext>;
}

export function createAdminAuth(deps: { env: Env; shopify: ShopifyApp; db: Db }): AdminAuth {
  if (deps.env.APP_MODE === "sandbox") {
    const shop = deps.env.SANDBOX_SHOP;
    return {
      async admin() {
        const row = await deps.db.shop.findUnique({ where: { domain: shop }, select: { installState: true } });
        if (!row || row.installState !== "installed") {
          throw new DomainError("NOT_FOUND", `Sandbox shop ${shop} is not seeded: run \`./oms demo\` (or \`./oms seed\`).`);
        }
        return { shop, mode: "sandbox", admin: null };
      },
    };
  }
  return {
    async admin(request) {
      const { session, admin } = await deps.shopify.authenticate.admin(request);
      return { shop: session.shop, mode: "shopify", admin };
    },
  };
}
