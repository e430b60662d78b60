import type { NavItem } from "./SandboxShell";

/** The app's navigation, shared by App Bridge's NavMenu (embedded) and the sandbox shell. */
export const NAV: NavItem[] = [
  { url: "/app", label: "Home" },
  { url: "/app/orders", label: "Orders" },
  { url: "/app/inventory", label: "Inventory" },
  { url: "/app/locations", label: "Locations" },
  { url: "/app/channels", label: "Channels" },
  { url: "/app/routing", label: "Routing" },
  { url: "/app/connections", label: "Connections" },
];
