import type { OrderDetail, SweepResult, WhatIfReport } from "#app/modules/orders/index";
import { humanize, type RoutingDecision, type StoredDecision } from "#app/modules/routing/index";

/** Human-readable routing output for `oms route` and `oms simulate --shop`. */
const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;

export function planText(d: Pick<RoutingDecision, "plan" | "queue" | "status">, names: Record<string, string>): string {
  if (d.plan) return d.plan.shipments.map((s) => `${names[s.locationId] ?? s.locationId} (${s.lines.map((l) => `${l.sku}×${l.quantity}`).join(", ")})`).join(" + ");
  return d.queue ? `queue ${d.queue}` : d.status;
}

export function traceLines(d: Pick<RoutingDecision, "trace" | "plan" | "reason" | "status">, names: Record<string, string>): string[] {
  return traceLinesRaw(d, names).map((l) => humanize(l, names));
}

function traceLinesRaw(d: Pick<RoutingDecision, "trace" | "plan" | "reason" | "status">, names: Record<string, string>): string[] {
  const out: string[] = [];
  const name = (id: string) => names[id] ?? id;
  out.push(`Outcome: ${d.status} — ${d.reason}`);
  if (d.plan) out.push(`Plan: ${d.plan.totals.shipments} shipment(s), ${money(d.plan.totals.costCents)}, ${d.plan.totals.maxDays} day(s)`);
  for (const s of d.plan?.shipments ?? []) out.push(`  · ${name(s.locationId)}: ${s.lines.map((l) => `${l.sku}×${l.quantity}`).join(", ")} — ${s.distanceKm} km, ${money(s.costCents)}, ${s.days} day(s)`);
  out.push("Rules:");
  for (const r of d.trace.rules) out.push(`  ${r.matched ? "✓" : "✗"} ${r.ruleId}: ${r.reasons.join("; ")}`);
  const byRule = new Map<string, typeof d.trace.candidates>();
  for (const c of d.trace.candidates) byRule.set(c.ruleId, [...(byRule.get(c.ruleId) ?? []), c]);
  for (const [ruleId, cands] of byRule) {
    out.push(`Candidates for ${ruleId}:`);
    for (const c of cands) out.push(`  ${c.accepted ? "+" : "-"} ${name(c.locationId)}: ${c.reason}`);
  }
  if (d.trace.plansCompared.length) {
    const keys = d.trace.rules.find((r) => r.scoreKeys)?.scoreKeys ?? [];
    out.push(`Plans compared (${d.trace.plansConsidered} feasible, ${d.trace.searchMode ?? "no"} search; score = ${keys.join(", ")}; lower wins):`);
    for (const p of d.trace.plansCompared) out.push(`  ${p.chosen ? "→" : " "} [${p.ruleId}] ${p.locations.map(name).join(" + ")}: ${p.score.join(", ")}`);
  }
  return out;
}

export function printOrderRouting(detail: OrderDetail, decisions: StoredDecision[]) {
  const o = detail.order;
  const dest = [o.destination.city, o.destination.provinceCode, o.destination.zip, o.destination.countryCode].filter(Boolean).join(", ");
  console.log(`${o.name}  [${o.channel.name}]  ${o.status}${o.queue ? ` (queue ${o.queue})` : ""}  — ${o.speed}${o.b2b ? ", B2B" : ""}, to ${dest}${o.destination.geocode && o.destination.geocode !== "address" ? ` (coordinates from ${o.destination.geocode} centroid)` : ""}`);
  if (o.pickupLocation) console.log(`pickup at ${o.pickupLocation}`);
  for (const l of detail.lines) {
    const where = l.reservation?.allocations.map((a) => `${a.location} ${a.sku}×${a.quantity}`).join(", ") || "—";
    console.log(`  ${l.lineKey}. ${l.sku} ×${l.quantity}  reservation ${l.reservation?.status ?? "none"}: ${where}`);
  }
  const [current, ...older] = decisions;
  if (!current) {
    console.log(`\nNot routed yet${o.statusReason ? `: ${o.statusReason}` : ""}.`);
    return;
  }
  console.log(`\nDecision #${current.sequence} (${current.trigger} by ${current.actor}, ${current.createdAt.toISOString()}, ${profileText(current)}, rule ${current.ruleId ?? "—"})`);
  for (const line of traceLines(current, detail.locationNames)) console.log(line);
  if (older.length) {
    console.log("\nEarlier decisions:");
    for (const d of older) console.log(`  #${d.sequence} ${d.createdAt.toISOString()} ${d.status} by ${d.ruleId ?? "—"}: ${planText(d, detail.locationNames)}`);
  }
}

/** "profile v3", or "no active profile" for a decision made without one (stored as version 0). */
export function profileText(d: Pick<StoredDecision, "profileVersion">): string {
  return d.profileVersion > 0 ? `profile v${d.profileVersion}` : "no active profile";
}

/** `oms route --unroutable`: what the sweep did, and why the rest is still stuck. */
export function printUnroutableSweep(r: Omit<SweepResult, "next">, names: Record<string, string>) {
  const still = r.stillUnroutable.reduce((n, g) => n + g.count, 0);
  if (r.examined === 0) {
    console.log("No unroutable orders.");
    return;
  }
  console.log(`Re-routed ${r.examined} unroutable order(s): ${r.routed} routed, ${still} still unroutable${r.unchanged ? ` (${r.unchanged} unchanged, no new decision)` : ""}${r.otherwise.length ? `, ${r.otherwise.length} now ${[...new Set(r.otherwise.map((o) => o.status))].join(" / ")}` : ""}${r.skipped.length ? `, ${r.skipped.length} left (changed meanwhile)` : ""}${r.failed.length ? `, ${r.failed.length} failed` : ""}.`);
  if (r.otherwise.length) console.log(`  ${r.otherwise.map((o) => `${o.name} ${o.status}`).join(", ")}`);
  if (still) {
    console.log("\nStill unroutable:");
    for (const g of r.stillUnroutable) console.log(`  ${g.count} × ${humanize(g.reason, names)}\n      ${g.orders.slice(0, 10).join(", ")}${g.orders.length > 10 ? ` and ${g.orders.length - 10} more` : ""}`);
  }
  if (r.skipped.length) {
    console.log("\nLeft, nothing to route any more:");
    for (const k of r.skipped) console.log(`  ${k.name}: ${humanize(k.reason, names)}`);
  }
  if (r.failed.length) {
    console.log("\nNot re-routed:");
    for (const f of r.failed) console.log(`  ${f.name}: ${humanize(f.error, names)}`);
  }
}

export function printWhatIf(r: WhatIfReport) {
  const name = (id: string) => r.names[id] ?? id;
  console.log(`Replayed ${r.orders} order(s) of the last ${r.days} day(s): ${r.notes.join("; ")}.\n`);
  r.base.decisions.forEach((d, i) => {
    const c = r.compare?.decisions[i];
    const cmp = c ? `   | v${r.compare!.profileVersion}: ${c.status === "routed" ? planText(c, r.locationNames) : c.status}` : "";
    console.log(`${name(d.orderId).padEnd(22)} ${d.status.padEnd(11)} ${(d.ruleId ?? "").padEnd(12)} ${planText(d, r.locationNames)}${cmp}`);
  });
  const fmt = (x: WhatIfReport["base"]["aggregates"]) =>
    `${x.routed}/${x.orders} routed, ${x.queued} queued, ${x.backordered} backordered, ${x.unroutable} unfillable; ${x.shipmentsPerOrder} shipments/order, split rate ${(x.splitRate * 100).toFixed(1)}%, cost ${money(x.costCents)} (mean ${money(x.meanCostCents)}), mean ${x.meanDays} days (max ${x.maxDays})`;
  console.log(`\nv${r.base.profileVersion}: ${fmt(r.base.aggregates)}`);
  if (r.compare && r.delta) {
    console.log(`v${r.compare.profileVersion}: ${fmt(r.compare.aggregates)}`);
    const d = r.delta;
    console.log(`delta: shipments/order ${d.shipmentsPerOrder >= 0 ? "+" : ""}${d.shipmentsPerOrder}, split rate ${d.splitRate >= 0 ? "+" : ""}${(d.splitRate * 100).toFixed(1)} pt, cost ${d.costCents >= 0 ? "+" : "-"}${money(Math.abs(d.costCents))}, mean days ${d.meanDays >= 0 ? "+" : ""}${d.meanDays}, unfillable ${d.unroutable + d.backordered >= 0 ? "+" : ""}${d.unroutable + d.backordered}`);
  }
}
