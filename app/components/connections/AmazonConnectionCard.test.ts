import { describe, expect, it } from "vitest";
import { notificationsLine } from "./AmazonConnectionCard";

const NOW = "2026-12-02T12:00:00.000Z";

describe("notificationsLine (connections page, Amazon card)", () => {
  it("says nothing without a consumer and without notifications (polling only, nothing to report)", () => {
    expect(notificationsLine({ consumer: { state: "off" }, lastReceivedAt: null, last24h: {} }, NOW)).toBeNull();
  });

  it("reports what reached this shop when notifications arrive without a consumer here (the demo's direct hand-off)", () => {
    expect(notificationsLine({ consumer: { state: "off" }, lastReceivedAt: "2026-12-02T11:59:30.000Z", last24h: { processed: 12, failed: 1 } }, NOW)).toEqual({
      text: "Order notifications: last one 30 s ago; 13 in 24 h, 1 not processed.",
      failing: true,
    });
  });

  it("a healthy consumer: when the queue was last read", () => {
    expect(notificationsLine({ consumer: { state: "running", lastReceiveAt: "2026-12-02T11:59:45.000Z", consecutiveErrors: 0 }, lastReceivedAt: "2026-12-02T10:00:00.000Z", last24h: { processed: 40 } }, NOW)).toEqual({
      text: "Order notifications: receiving (queue checked 15 s ago); last one 2 h ago; 40 in 24 h.",
      failing: false,
    });
  });

  it("a failing consumer: the count of errors, never the operator's error text, and that polling goes on", () => {
    expect(notificationsLine({ consumer: { state: "backing_off", lastReceiveAt: null, consecutiveErrors: 3 }, lastReceivedAt: null, last24h: {} }, NOW)).toEqual({
      text: "Order notifications: the queue consumer is failing (3 errors in a row; the operator's logs say why). Orders still arrive by polling. None received yet.",
      failing: true,
    });
  });
});
