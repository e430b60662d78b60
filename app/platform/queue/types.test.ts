import { describe, expect, it } from "vitest";
import { backoffMs } from "#app/platform/queue/types";

describe("backoffMs", () => {
  it.each([
    [1, 500, 1_000],
    [2, 1_000, 2_000],
    [3, 2_000, 4_000],
    [4, 4_000, 8_000],
    [5, 8_000, 16_000],
  ])("attempt %i waits between %i ms (random 0) and %i ms (random 1)", (attempt, low, high) => {
    expect(backoffMs(attempt, 0)).toBe(low);
    expect(backoffMs(attempt, 1)).toBe(high);
  });

  it("scales linearly with random between half the ceiling and the ceiling", () => {
    expect(backoffMs(3, 0.5)).toBe(3_000);
    expect(backoffMs(1, 0.25)).toBe(625);
  });

  it("rounds to whole milliseconds", () => {
    expect(backoffMs(1, 1 / 3)).toBe(667);
    expect(backoffMs(2, 0.0001)).toBe(1_000);
  });

  it("treats attempt 0 and negatives like attempt 1", () => {
    expect(backoffMs(0, 1)).toBe(1_000);
    expect(backoffMs(-3, 0)).toBe(500);
  });

  it("respects the default 15-minute cap at high attempts", () => {
    expect(backoffMs(10, 1)).toBe(512_000);
    expect(backoffMs(11, 0)).toBe(450_000);
    expect(backoffMs(11, 1)).toBe(900_000);
    expect(backoffMs(50, 1)).toBe(900_000);
    expect(backoffMs(50, 0)).toBe(450_000);
    expect(backoffMs(5_000, 1)).toBe(900_000);
  });

  it("uses a custom base and cap", () => {
    expect(backoffMs(1, 1, 200)).toBe(200);
    expect(backoffMs(3, 1, 200)).toBe(800);
    expect(backoffMs(3, 1, 100, 250)).toBe(250);
    expect(backoffMs(3, 0, 100, 250)).toBe(125);
  });
});
