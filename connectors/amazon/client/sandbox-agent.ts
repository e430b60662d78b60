import https from "node:https";
import net from "node:net";
import { ConnectorError } from "#connectors/core/errors";
import { CONNECTOR } from "./errors";

/**
 * Points amazon-sp-api at a local peer.  The library always calls `https.request` on port 443 of
 * Amazon's hosts (lib/Request.js: `https://sellingpartnerapi-{na,eu,fe}.amazon.com`,
 * `https://api.amazon.com/auth/o2/token`, and the presigned feed/report document URLs) and has no
 * base-URL option; it does pass `options.https_proxy_agent` as the request's `agent`.  This agent
 * opens a plain TCP connection to the loopback peer instead of TLS to Amazon, so every one of those
 * requests — method, path, query, Host header and body unchanged — lands on the peer, which
 * dispatches by path (/auth/o2/token, /orders/…, /listings/…, /feeds/…, /fba/inventory/v1/…,
 * /documents/…).  (`downloadStream` ignores the agent; the client does not use it.)
 *
 * Only loopback addresses are accepted: the agent sends access tokens and the LWA client secret in
 * clear text, so it must never reach another machine.
 */
export const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function parseSandboxUrl(baseUrl: string): { host: string; port: number } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConnectorError("INVALID", `Amazon sandbox URL "${baseUrl}" is not a URL`, { connector: CONNECTOR, code: "INVALID", field: "sandboxUrl" });
  }
  if (url.protocol !== "http:") {
    throw new ConnectorError("INVALID", `Amazon sandbox URL must be http:// (a local peer), got "${url.protocol}"`, { connector: CONNECTOR, code: "INVALID", field: "sandboxUrl" });
  }
  if (!LOOPBACK_HOSTS.has(url.hostname)) {
    throw new ConnectorError("INVALID", `Amazon sandbox URL must point at a loopback address (127.0.0.1, localhost, ::1), got "${url.hostname}"`, {
      connector: CONNECTOR,
      code: "INVALID",
      field: "sandboxUrl",
    });
  }
  if (url.pathname !== "/" || url.search || url.username || url.password) {
    throw new ConnectorError("INVALID", `Amazon sandbox URL must be just scheme, host and port, got "${baseUrl}"`, { connector: CONNECTOR, code: "INVALID", field: "sandboxUrl" });
  }
  const port = url.port === "" ? 80 : Number(url.port);
  const host = url.hostname === "localhost" ? "127.0.0.1" : url.hostname.replace(/^\[|\]$/g, "");
  return { host, port };
}

export class SandboxAgent extends https.Agent {
  readonly target: { host: string; port: number };

  constructor(baseUrl: string) {
    // No keep-alive: at SP-API rates a connection per request costs nothing, and no pooled socket
    // outlives a test or a demo run.
    super({ keepAlive: false });
    this.target = parseSandboxUrl(baseUrl);
  }

  // Replaces tls.connect: the peer speaks plain HTTP/1.1.  Node's Agent calls this with the
  // request's options (Amazon's host, port 443); a returned socket is used as is, and its errors
  // (e.g. ECONNREFUSED when the peer is down) reach the request like any connection error.
  override createConnection(): net.Socket {
    return net.createConnection({ host: this.target.host, port: this.target.port });
  }
}

/** The agent to pass as `options.https_proxy_agent` (see the module comment). */
export function sandboxAgent(baseUrl: string): SandboxAgent {
  return new SandboxAgent(baseUrl);
}
