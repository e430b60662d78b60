import fs from "node:fs";
import { DomainError } from "#app/platform/errors";
import { compareAggregates, simulate, type RoutingNetwork, type RoutingOrder, type RoutingProfile, type SimulationResult } from "./domain/index";

/**
 * `oms simulate` inputs: a network (JSON), one or two profiles (JSON), orders (JSON lines).
 * Formats: docs/simulator.md.  Errors name the file and, for JSON lines, the line.
 */
function readJson<T>(file: string, what: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw DomainError.invalid(`--${what}`, `cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw DomainError.invalid(`--${what}`, `${file} is not valid JSON: ${(e as Error).message}`);
  }
}

export function readOrdersJsonl(file: string): RoutingOrder[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw DomainError.invalid("--orders", `cannot read ${file}: ${(e as Error).message}`);
  }
  const orders: RoutingOrder[] = [];
  for (const [i, raw] of text.split("\n").entries()) {
    if (!raw.trim()) continue;
    let o: RoutingOrder;
    try {
      o = JSON.parse(raw) as RoutingOrder;
    } catch (e) {
      throw DomainError.invalid("--orders", `${file}:${i + 1} is not valid JSON: ${(e as Error).message}`);
    }
    if (!o || typeof o.id !== "string" || !Array.isArray(o.lines) || !o.destination) {
      throw DomainError.invalid("--orders", `${file}:${i + 1} needs an "id", "destination" and "lines" (see docs/simulator.md)`);
    }
    orders.push(o);
  }
  return orders;
}

export interface SimulationReport {
  base: SimulationResult;
  compare: SimulationResult | null;
  /** compare − base, per aggregate. */
  delta: ReturnType<typeof compareAggregates> | null;
}

/** Route every order under the profile (and the comparison profile) without touching live state. */
export function simulateFiles(files: { network: string; profile: string; orders: string; compare?: string }): SimulationReport {
  const network = readJson<RoutingNetwork>(files.network, "network");
  if (!Array.isArray(network.locations)) throw DomainError.invalid("--network", `${files.network} needs a "locations" array`);
  const profile = readJson<RoutingProfile>(files.profile, "profile");
  const orders = readOrdersJsonl(files.orders);
  const base = simulate(network, profile, orders);
  if (!files.compare) return { base, compare: null, delta: null };
  const other = simulate(network, readJson<RoutingProfile>(files.compare, "compare"), orders);
  return { base, compare: other, delta: compareAggregates(base.aggregates, other.aggregates) };
}
