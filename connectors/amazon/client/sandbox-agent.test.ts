import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "#connectors/core/clock";
import { createMemoryBucketStore, createTokenBuckets } from "#connectors/core/token-bucket";
import { createMemoryAccessTokenCache } from "./access-token";
import { parseSandboxUrl, sandboxAgent } from "./sandbox-agent";
import { spApiBucketLimits } from "./rate-limits";
import { createSpApiClient } from "./sp-api-client";

/**
 * The sandbox agent with the real library against a tiny local HTTP server standing in for the
 * Amazon sandbox peer: every host the library calls (LWA, the regional SP-API host, the presigned
 * document URL) must land on it, with path, Host header and body intact.
 */
interface Seen {
  method: string;
  url: string;
  host: string | undefined;
  token: string | undefined;
  body: string;
}
const seen: Seen[] = [];
const documents = new Map<string, string>();
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, host: req.headers.host, token: req.headers["x-amz-access-token"] as string | undefined, body });
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", "x-amzn-requestid": `rid-${seen.length}`, ...headers });
        res.end(JSON.stringify(value));
      };
      const path = req.url!.split("?")[0]!;
      if (req.method === "POST" && path === "/auth/o2/token") return json(200, { access_token: "Atza|sandbox", token_type: "bearer", expires_in: 3600 });
      if (req.method === "GET" && path.startsWith("/orders/2026-01-01/orders/")) return json(200, { order: { orderId: decodeURIComponent(path.split("/").pop()!) } }, { "x-amzn-ratelimit-limit": "0.5" });
      if (req.method === "POST" && path === "/feeds/2021-06-30/documents") return json(201, { feedDocumentId: "doc-1", url: "https://d34o8swod1owfl.cloudfront.net/documents/doc-1?X-Amz-Signature=abc" });
      if (req.method === "PUT" && path === "/documents/doc-1") {
        documents.set("doc-1", body);
        res.writeHead(200);
        return res.end();
      }
      if (req.method === "GET" && path === "/documents/doc-1") {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(documents.get("doc-1"));
      }
      json(404, { errors: [{ code: "NotFound", message: `no route ${req.method} ${path}` }] });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

describe("sandboxAgent", () => {
  it("sends LWA, SP-API and presigned-document requests of the real library to the local peer", async () => {
    const buckets = createTokenBuckets({ store: createMemoryBucketStore(), limits: spApiBucketLimits, now: systemClock.now, sleep: systemClock.sleep });
    const client = createSpApiClient({
      account: { sellerId: "A2SELLER", region: "eu", marketplaceIds: ["A1PA6795UKMFR9"], lwaClientId: "amzn1.application-oa2-client.x", lwaClientSecret: "secret", refreshToken: "Atzr|r" },
      buckets,
      tokenCache: createMemoryAccessTokenCache(),
      ...systemClock,
      transport: { agent: sandboxAgent(baseUrl), timeoutMs: 5_000 },
    });
    const { order } = await client.getOrder("028-1234567-8901234");
    expect(order).toEqual({ orderId: "028-1234567-8901234" });
    const doc = await client.createFeedDocument("application/json; charset=UTF-8");
    await client.uploadFeedDocument(doc, '{"header":{}}', "application/json; charset=UTF-8");
    expect(await client.downloadFeedDocument(doc)).toBe('{"header":{}}');

    expect(seen.map((s) => [s.method, s.url.split("?")[0], s.host])).toEqual([
      ["POST", "/auth/o2/token", "api.amazon.com"],
      ["GET", "/orders/2026-01-01/orders/028-1234567-8901234", "sellingpartnerapi-eu.amazon.com"],
      ["POST", "/feeds/2021-06-30/documents", "sellingpartnerapi-eu.amazon.com"],
      ["PUT", "/documents/doc-1", "d34o8swod1owfl.cloudfront.net"],
      ["GET", "/documents/doc-1", "d34o8swod1owfl.cloudfront.net"],
    ]);
    expect(JSON.parse(seen[0]!.body)).toEqual({ grant_type: "refresh_token", refresh_token: "Atzr|r", client_id: "amzn1.application-oa2-client.x", client_secret: "secret" });
    expect(seen[1]!.token).toBe("Atza|sandbox");
    expect(seen[3]!.url).toBe("/documents/doc-1?X-Amz-Signature=abc");
  });

  it("refuses anything but a plain-http loopback address", () => {
    expect(parseSandboxUrl("http://127.0.0.1:4010")).toEqual({ host: "127.0.0.1", port: 4010 });
    expect(parseSandboxUrl("http://localhost:4010")).toEqual({ host: "127.0.0.1", port: 4010 });
    expect(parseSandboxUrl("http://[::1]:4010")).toEqual({ host: "::1", port: 4010 });
    expect(() => sandboxAgent("http://10.0.0.5:4010")).toThrow(/must point at a loopback address .* got "10.0.0.5"/);
    expect(() => sandboxAgent("http://sandbox.example.com")).toThrow(/loopback/);
    expect(() => sandboxAgent("https://127.0.0.1:4010")).toThrow(/must be http:\/\//);
    expect(() => sandboxAgent("http://127.0.0.1:4010/prefix")).toThrow(/just scheme, host and port/);
    expect(() => sandboxAgent("not a url")).toThrow(/is not a URL/);
  });
});
