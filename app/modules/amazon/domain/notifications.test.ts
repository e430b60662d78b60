import { describe, expect, it } from "vitest";
import { desiredSubscription, notificationsDue, planSubscription, refusesMarketplaceFilter, retryDelayMs, sharedSubscriptionNeeds } from "./notifications";

const US = "ATVPDKIKX0DER";
const CA = "A2EUQ1WTGCTBG2";
const MX = "A1AM78C64UM0Y8";

describe("desiredSubscription", () => {
  it("is Amazon's CreateSubscriptionRequest: payload 1.0, the destination, an ORDER_CHANGE filter on the account's marketplaces (sorted) and the two change types the hub acts on", () => {
    expect(desiredSubscription({ destinationId: "dest-1", marketplaceIds: [US, CA] })).toEqual({
      payloadVersion: "1.0",
      destinationId: "dest-1",
      processingDirective: { eventFilter: { eventFilterType: "ORDER_CHANGE", marketplaceIds: [CA, US], orderChangeTypes: ["OrderStatusChange", "BuyerRequestedChange"] } },
    });
  });

  it("without the marketplace filter (Amazon refused it): every marketplace", () => {
    expect(desiredSubscription({ destinationId: "dest-1", marketplaceIds: [US], marketplaceFilter: false }).processingDirective.eventFilter).toEqual({ eventFilterType: "ORDER_CHANGE", orderChangeTypes: ["OrderStatusChange", "BuyerRequestedChange"] });
  });
});

describe("planSubscription", () => {
  const want = desiredSubscription({ destinationId: "dest-1", marketplaceIds: [US, CA] });
  const sub = (over: object = {}) => ({ subscriptionId: "sub-1", payloadVersion: "1.0", destinationId: "dest-1", ...over });

  it("creates when there is none", () => {
    expect(planSubscription(null, want)).toEqual({ action: "create" });
  });

  it("keeps one that delivers what the accounts need: the same filter (in any order), or none at all", () => {
    expect(planSubscription(sub({ processingDirective: { eventFilter: { eventFilterType: "ORDER_CHANGE", marketplaceIds: [US, CA], orderChangeTypes: ["OrderStatusChange", "BuyerRequestedChange"] } } }), want)).toEqual({ action: "keep" });
    // getSubscription without a processingDirective (a subscription made without filters): everything.
    expect(planSubscription(sub(), want)).toEqual({ action: "keep" });
  });

  it("replaces one that would miss notifications or send them elsewhere, saying why", () => {
    expect(planSubscription(sub({ destinationId: "dest-old" }), want)).toEqual({ action: "replace", subscriptionId: "sub-1", why: "it delivers to destination dest-old, not dest-1" });
    expect(planSubscription(sub({ payloadVersion: "2.0" }), want)).toEqual({ action: "replace", subscriptionId: "sub-1", why: "it uses payload version 2.0, not 1.0" });
    expect(planSubscription(sub({ processingDirective: { eventFilter: { marketplaceIds: [US] } } }), want)).toEqual({ action: "replace", subscriptionId: "sub-1", why: `it leaves out marketplace ${CA}` });
    // Wider than needed (a marketplace removed, or the account that listed it switched orders off): narrowed.
    expect(planSubscription(sub({ processingDirective: { eventFilter: { eventFilterType: "ORDER_CHANGE", marketplaceIds: [US, CA, MX] } } }), want)).toEqual({ action: "replace", subscriptionId: "sub-1", why: `it includes marketplace ${MX}, which no account with orders on needs any more` });
    expect(planSubscription(sub({ processingDirective: { eventFilter: { orderChangeTypes: ["BuyerRequestedChange"] } } }), want)).toEqual({ action: "replace", subscriptionId: "sub-1", why: "it leaves out change type OrderStatusChange" });
    expect(planSubscription(sub({ processingDirective: { filterExpression: "x == `y`" } }), want)).toMatchObject({ action: "replace" });
    const all = desiredSubscription({ destinationId: "dest-1", marketplaceIds: [US], marketplaceFilter: false });
    expect(planSubscription(sub({ processingDirective: { eventFilter: { marketplaceIds: [US] } } }), all)).toEqual({ action: "replace", subscriptionId: "sub-1", why: "it is limited to some marketplaces and the account needs all" });
  });
});

describe("sharedSubscriptionNeeds", () => {
  it("is the union (sorted, once each) of the marketplaces of the accounts with orders on", () => {
    expect(sharedSubscriptionNeeds([{ id: "a", ordersOn: true, marketplaceIds: [US] }, { id: "b", ordersOn: true, marketplaceIds: [CA, US] }, { id: "c", ordersOn: false, marketplaceIds: [MX] }])).toEqual({ needed: true, marketplaceIds: [CA, US], accountIds: ["a", "b"] });
    // The same accounts in another order (another shop's ensure run): the same answer, so no flip-flop.
    expect(sharedSubscriptionNeeds([{ id: "b", ordersOn: true, marketplaceIds: [US, CA] }, { id: "a", ordersOn: true, marketplaceIds: [US] }]).marketplaceIds).toEqual([CA, US]);
  });

  it("nobody with orders on: not needed", () => {
    expect(sharedSubscriptionNeeds([{ id: "a", ordersOn: false, marketplaceIds: [US] }])).toEqual({ needed: false, marketplaceIds: [], accountIds: [] });
    expect(sharedSubscriptionNeeds([])).toEqual({ needed: false, marketplaceIds: [], accountIds: [] });
  });
});

describe("when to check", () => {
  const now = new Date("2026-12-02T12:00:00Z");
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it("retries failures after 3 min doubling up to 6 h", () => {
    expect([1, 2, 3, 4, 7, 8, 20].map(retryDelayMs)).toEqual([180_000, 360_000, 720_000, 1_440_000, 11_520_000, 21_600_000, 21_600_000]);
  });

  it("pending at once; failed after its delay; subscribed and off once a day; never what the disconnect owns", () => {
    expect(notificationsDue({ status: "pending", checkedAt: null, failures: 0 }, now)).toBe(true);
    expect(notificationsDue({ status: "failed", checkedAt: ago(5 * 60_000), failures: 2 }, now)).toBe(false);
    expect(notificationsDue({ status: "failed", checkedAt: ago(6 * 60_000), failures: 2 }, now)).toBe(true);
    expect(notificationsDue({ status: "subscribed", checkedAt: ago(23 * 3_600_000), failures: 0 }, now)).toBe(false);
    expect(notificationsDue({ status: "subscribed", checkedAt: ago(24 * 3_600_000), failures: 0 }, now)).toBe(true);
    expect(notificationsDue({ status: "off", checkedAt: null, failures: 0 }, now)).toBe(true);
    expect(notificationsDue({ status: "unsubscribing", checkedAt: null, failures: 0 }, now)).toBe(false);
    expect(notificationsDue({ status: "unsubscribe_failed", checkedAt: null, failures: 3 }, now)).toBe(false);
  });
});

describe("refusesMarketplaceFilter", () => {
  it("is a 400 that names the marketplace filter, nothing else", () => {
    expect(refusesMarketplaceFilter({ kind: "INVALID", message: "createSubscription: HTTP 400 — InvalidInput: marketplaceIds is not supported for ORDER_CHANGE" })).toBe(true);
    expect(refusesMarketplaceFilter({ kind: "INVALID", message: "createSubscription: HTTP 400 — InvalidInput: destinationId is invalid" })).toBe(false);
    expect(refusesMarketplaceFilter({ kind: "NOT_ALLOWED", message: "HTTP 403 — Unauthorized: marketplace access denied" })).toBe(false);
  });
});
