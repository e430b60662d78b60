import nock from "nock";
import { afterEach, beforeAll, beforeEach, expect, vi } from "vitest";

/**
 * Every suite: no real network (nock blocks anything not explicitly mocked; loopback stays open for
 * the app under test and the local databases), and an unexpected console.error fails the test.
 * A test that expects an error log says so with `expectConsoleError(/pattern/)`.
 */
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);
});

let expected: RegExp[] = [];
let errors: string[] = [];

beforeEach(() => {
  expected = [];
  errors = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    errors.push(args.map((a) => (a instanceof Error ? a.stack ?? a.message : typeof a === "string" ? a : JSON.stringify(a))).join(" "));
  });
});

afterEach(() => {
  nock.cleanAll();
  vi.mocked(console.error).mockRestore();
  const unexpected = errors.filter((e) => !expected.some((re) => re.test(e)));
  expect(unexpected, "unexpected console.error output").toEqual([]);
});

/** Declare that this test is expected to log an error matching `pattern`. */
export function expectConsoleError(pattern: RegExp) {
  expected.push(pattern);
}
