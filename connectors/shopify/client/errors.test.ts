import { describe, expect, it } from "vitest";
import { errorFromGraphqlErrors, errorFromStatus, errorFromUserErrors, inputFieldOf, userErrorsOf } from "./errors";

describe("Shopify answers → ConnectorError", () => {
  it("finds userErrors under any root field, whatever the list is called", () => {
    expect(userErrorsOf({ a: { userErrors: [] }, b: { locationDeactivateUserErrors: [{ field: ["x"], message: "m" }] } })).toEqual([{ field: ["x"], message: "m" }]);
    expect(userErrorsOf(null)).toEqual([]);
  });

  it("userErrors name the input path; codes pick the kind", () => {
    expect(errorFromUserErrors("OmsX", [{ field: ["input", "quantities", "1", "quantity"], message: "is too high", code: "INVALID_QUANTITY_TOO_HIGH" }, { field: null, message: "second" }])).toMatchObject({
      kind: "INVALID",
      field: "input.quantities.1.quantity",
      message: "OmsX: input.quantities.1.quantity: is too high (+1 more)",
      retryable: false,
    });
    expect(errorFromUserErrors("OmsX", [{ field: null, message: "busy", code: "IDEMPOTENCY_CONCURRENT_REQUEST" }])).toMatchObject({ kind: "CONFLICT", retryable: true, field: undefined });
    expect(errorFromUserErrors("OmsX", [{ field: ["id"], message: "gone", code: "NOT_FOUND" }])).toMatchObject({ kind: "NOT_FOUND" });
  });

  it("top-level codes pick the kind; partial answers are not retryable", () => {
    expect(errorFromGraphqlErrors("OmsX", [{ message: "Access denied", extensions: { code: "ACCESS_DENIED" } }])).toMatchObject({ kind: "NOT_ALLOWED", retryable: false });
    expect(errorFromGraphqlErrors("OmsX", [{ message: "Internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } }])).toMatchObject({ kind: "UNAVAILABLE", retryable: true });
    expect(errorFromGraphqlErrors("OmsX", [{ message: "Internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } }], { data: { x: 1 } })).toMatchObject({ kind: "UNAVAILABLE", retryable: false, details: { partial: true } });
    expect(errorFromGraphqlErrors("OmsX", [{ message: "Field 'nmae' doesn't exist on type 'Shop'", extensions: { code: "undefinedField" } }])).toMatchObject({ kind: "INVALID" });
    expect(errorFromGraphqlErrors("OmsX", [{ message: "Query cost is 1200, which exceeds the single query max cost limit (1000).", extensions: { code: "MAX_COST_EXCEEDED" } }])).toMatchObject({ kind: "INVALID", code: "MAX_COST_EXCEEDED" });
  });

  it("variable coercion errors name the variable path", () => {
    expect(inputFieldOf({ message: "Variable $order of type OrderCreateOrderInput! was provided invalid value for lineItems.0.quantity (Expected value to not be null)", extensions: { problems: [{ path: ["lineItems", 0, "quantity"] }] } })).toBe("order.lineItems.0.quantity");
    expect(inputFieldOf({ message: "Throttled" })).toBeUndefined();
  });

  it("HTTP statuses", () => {
    expect(errorFromStatus("OmsX", 401, {})).toMatchObject({ kind: "NOT_ALLOWED", code: "HTTP_401", retryable: false });
    expect(errorFromStatus("OmsX", 402, {})).toMatchObject({ kind: "NOT_ALLOWED" });
    expect(errorFromStatus("OmsX", 404, {})).toMatchObject({ kind: "NOT_FOUND" });
    expect(errorFromStatus("OmsX", 400, { body: "bad" })).toMatchObject({ kind: "INVALID", message: "OmsX: HTTP 400 — bad" });
    expect(errorFromStatus("OmsX", 503, { requestId: "r-1" })).toMatchObject({ kind: "UNAVAILABLE", retryable: true, details: { requestId: "r-1" } });
  });
});
