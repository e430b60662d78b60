/** What the routing page's loaders send to the browser (plain JSON; type imports only). */
import type { Rule, RoutingStatus, SimulationAggregates } from "#app/modules/routing/index";

/** What-if periods offered: the last 7, 30 or 90 days of orders. */
export const DAY_CHOICES = [7, 30, 90] as const;

export type VersionStatus = "draft" | "active" | "retired";

export interface VersionView {
  version: number;
  status: VersionStatus;
  note: string | null;
  createdBy: string;
  /** ISO timestamps. */
  createdAt: string;
  activatedAt: string | null;
  rules: Rule[];
}

export interface LocationOption {
  id: string;
  name: string;
  kind: string;
}

export interface ChannelOption {
  code: string;
  name: string;
}

/** One order's outcome under one profile, already in words (location ids replaced by names). */
export interface PlanView {
  status: RoutingStatus;
  ruleId: string | null;
  /** Where it ships from (routed), or the reason (queued, backordered, unroutable). */
  text: string;
  costCents: number | null;
  days: number | null;
}

export interface WhatIfRow {
  orderId: string;
  name: string;
  base: PlanView;
  compare: PlanView | null;
}

export interface WhatIfSide {
  label: string;
  aggregates: SimulationAggregates;
}

export type WhatIfResult =
  | {
      ok: true;
      days: number;
      orders: number;
      base: WhatIfSide;
      compare: WhatIfSide | null;
      delta: Record<keyof SimulationAggregates, number> | null;
      /** With a comparison: the orders whose plans differ; without: every order. At most `limit`. */
      rows: WhatIfRow[];
      /** How many orders the rows were chosen from (differing plans, or all orders). */
      matching: number;
      limit: number;
      notes: string[];
    }
  | { ok: false; field: string | null; message: string };
