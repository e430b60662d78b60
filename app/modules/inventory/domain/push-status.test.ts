import { describe, expect, it } from "vitest";
import { describePushResult, summarizePushStatus, type PushActivity, type PushRun } from "./push-status";

const run = (o: Partial<PushRun>): PushRun => ({
  id: "j1",
  status: "completed",
  attempts: 1,
  maxAttempts: 5,
  runAt: "2026-11-27T10:00:00.000Z",
  finishedAt: "2026-11-27T10:00:02.000Z",
  lastError: null,
  result: null,
  ...o,
});
const none: PushActivity = { notDispatched: 0, pending: [], lastCompleted: null, failures: [] };

describe("describePushResult", () => {
  it("names what a push did", () => {
    expect(describePushResult({ read: 12, pushed: 3, unchanged: 9 })).toEqual({ skipped: false, outcome: "3 counts set in Shopify, 9 already equal" });
    expect(describePushResult({ read: 12, pushed: 1, unchanged: 0 })).toEqual({ skipped: false, outcome: "1 count set in Shopify, 0 already equal" });
    expect(describePushResult({ read: 12, pushed: 0, unchanged: 1 })).toEqual({ skipped: false, outcome: "nothing to change: Shopify already had the hub's 1 count" });
    expect(describePushResult({ scope: "changed", read: 0, pushed: 0, unchanged: 0 })).toEqual({ skipped: false, outcome: "nothing to send: Shopify already had every count" });
    expect(describePushResult({ skipped: "the location is not linked to a Shopify location" })).toEqual({ skipped: true, outcome: "not pushed: the location is not linked to a Shopify location" });
    expect(describePushResult(null)).toEqual({ skipped: false, outcome: "completed" });
  });
});

describe("summarizePushStatus", () => {
  it("no push yet", () => {
    expect(summarizePushStatus(none, true)).toMatchObject({ state: "never", headline: "No push yet", lastPush: null, waiting: 0, running: false, retry: null, failures: [] });
  });

  it("the last push succeeded", () => {
    const s = summarizePushStatus({ ...none, lastCompleted: run({ result: { read: 5, pushed: 2, unchanged: 3 } }) }, true);
    expect(s).toMatchObject({ state: "pushed", headline: "Last push succeeded", lastPush: { at: "2026-11-27T10:00:02.000Z", outcome: "2 counts set in Shopify, 3 already equal" } });
  });

  it("the last push was skipped", () => {
    const s = summarizePushStatus({ ...none, lastCompleted: run({ result: { skipped: "Shopify owns this location's counts" } }) }, true);
    expect(s).toMatchObject({ state: "skipped", headline: "Last push not pushed: Shopify owns this location's counts" });
  });

  it("a push waiting in the outbox or the queue is queued; a running one is pushing", () => {
    expect(summarizePushStatus({ ...none, notDispatched: 1 }, true)).toMatchObject({ state: "queued", waiting: 1, headline: "Push to Shopify queued" });
    expect(summarizePushStatus({ ...none, pending: [run({ status: "queued", attempts: 0, finishedAt: null })] }, true)).toMatchObject({ state: "queued", waiting: 1 });
    expect(summarizePushStatus({ ...none, notDispatched: 1, pending: [run({ status: "running", finishedAt: null })] }, true)).toMatchObject({ state: "pushing", running: true, waiting: 1 });
  });

  it("a queued run after a failed attempt is a retry, with the error and the next try", () => {
    const s = summarizePushStatus(
      { ...none, pending: [run({ status: "queued", attempts: 2, runAt: "2026-11-27T10:05:00.000Z", finishedAt: null, lastError: "Shopify's counts at Reno 3PL changed while pushing" })] },
      true,
    );
    expect(s).toMatchObject({
      state: "retrying",
      headline: "Push attempt 2 of 5 failed, will retry: Shopify's counts at Reno 3PL changed while pushing",
      retry: { attempts: 2, maxAttempts: 5, error: "Shopify's counts at Reno 3PL changed while pushing", nextTryAt: "2026-11-27T10:05:00.000Z" },
    });
  });

  it("a failure outranks a retry, a running push and the last success", () => {
    const s = summarizePushStatus(
      {
        notDispatched: 1,
        pending: [run({ id: "j4", status: "running", finishedAt: null })],
        lastCompleted: run({ id: "j1", result: { read: 1, pushed: 1, unchanged: 0 } }),
        failures: [run({ id: "j3", status: "failed", attempts: 5, finishedAt: "2026-11-27T11:00:00.000Z", lastError: "ACCESS_DENIED: write_inventory" }), run({ id: "j2", status: "failed", lastError: null })],
      },
      true,
    );
    expect(s.state).toBe("failed");
    expect(s.headline).toBe("Push failed: ACCESS_DENIED: write_inventory");
    expect(s.failures).toEqual([
      { id: "j3", at: "2026-11-27T11:00:00.000Z", attempts: 5, error: "ACCESS_DENIED: write_inventory" },
      { id: "j2", at: "2026-11-27T10:00:02.000Z", attempts: 1, error: "failed without an error message" },
    ]);
    expect(s.lastPush?.outcome).toBe("1 count set in Shopify, 0 already equal");
    expect(s.running).toBe(true);
  });

  it("a location not linked to Shopify says so first", () => {
    const s = summarizePushStatus({ ...none, lastCompleted: run({ result: { skipped: "the location is not linked to a Shopify location" } }) }, false);
    expect(s).toMatchObject({ state: "not_linked", headline: "Not linked to a Shopify location: counts cannot be pushed until an import links it", lastPush: { outcome: "not pushed: the location is not linked to a Shopify location" } });
  });
});
