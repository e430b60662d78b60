/** The Amazon SP-API client (docs/decisions/012-amazon-sp-api-client.md); see connectors/amazon/README.md. */
export * from "./access-token";
export * from "./errors";
export * from "./paging";
export * from "./rate-header";
export * from "./rate-limits";
export * from "./sandbox-agent";
export * from "./sp-api-client";
