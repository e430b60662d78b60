// Remix options — the one source of truth.  vite.config.ts imports this object into the Remix
// Vite plugin (the classic compiler is not used).
/** @type {import("@remix-run/dev").VitePluginConfig} */
export default {
  appDirectory: "app",
  buildDirectory: "build",
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    // Shopify's boundary helpers expect classic loader responses (as in Shopify's Remix template).
    v3_singleFetch: false,
  },
};
