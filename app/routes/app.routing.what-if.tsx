import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { parseRulesJson } from "#app/components/routing/parse-rules";
import { DAY_CHOICES, type PlanView, type WhatIfResult, type WhatIfRow } from "#app/components/routing/types";
import { whatIf } from "#app/modules/orders/index";
import { DEFAULT_PROFILE, getActive, humanize, listVersions, type RoutingDecision, type RoutingProfile } from "#app/modules/routing/index";
import { DomainError } from "#app/platform/errors";
import { HTTP_STATUS } from "#app/platform/http.server";

/**
 * The routing page's what-if (a resource route, fetched by the page): replay the shop's recent
 * orders under a profile version — or the editor's unsaved rules (POST) — compared with the active
 * version.  Nothing live is touched.
 *
 *   GET  /app/routing/what-if?version=2&days=30
 *   POST /app/routing/what-if   rules=<JSON>&days=30
 */
/** Per-order rows sent to the page; the aggregates always cover every order. */
const ROW_LIMIT = 200;

function parseDays(raw: FormDataEntryValue | string | null): number {
  const days = Number(raw ?? 30);
  if (!DAY_CHOICES.includes(days as (typeof DAY_CHOICES)[number])) throw DomainError.invalid("days", `must be one of ${DAY_CHOICES.join(", ")}, got ${String(raw)}`);
  return days;
}

function planView(d: RoutingDecision, names: Record<string, string>): PlanView {
  if (d.status === "routed" && d.plan) {
    const text = d.plan.shipments
      .map((s) => `${names[s.locationId] ?? s.locationId} (${s.lines.map((l) => `${l.sku} ×${l.quantity}`).join(", ")})`)
      .join(" + ");
    return { status: d.status, ruleId: d.ruleId, text, costCents: d.plan.totals.costCents, days: d.plan.totals.maxDays };
  }
  const prefix = d.status === "queued" && d.queue ? `queue "${d.queue}": ` : "";
  return { status: d.status, ruleId: d.ruleId, text: prefix + humanize(d.reason, names), costCents: null, days: null };
}

/** Same outcome: status, rule, queue and the same lines from the same locations. */
function signature(d: RoutingDecision): string {
  const shipments = (d.plan?.shipments ?? [])
    .map((s) => `${s.locationId}:${s.lines.map((l) => `${l.lineKey}=${l.quantity}`).sort().join(",")}`)
    .sort()
    .join("|");
  return `${d.status}/${d.ruleId ?? ""}/${d.queue ?? ""}/${shipments}`;
}

const versionLabel = (v: { version: number; status: string }) => `v${v.version} (${v.status})`;

type Deps = Pick<AppLoadContext["runtime"], "db" | "now">;

async function run(deps: Deps, shop: string, candidate: { profile: RoutingProfile; label: string; version: number | null }, days: number): Promise<WhatIfResult> {
  const active = await getActive(deps.db, shop);
  const compareWithActive = active !== null && active.version !== candidate.version;
  const base = compareWithActive ? { profile: active.profile, label: versionLabel(active) } : candidate;
  const report = await whatIf(deps, shop, { days, profile: base.profile, compare: compareWithActive ? candidate.profile : null });
  const names = report.locationNames;
  const rows: WhatIfRow[] = [];
  let matching = 0;
  report.base.decisions.forEach((d, i) => {
    const other = report.compare?.decisions[i] ?? null;
    if (other && signature(other) === signature(d)) return;
    matching += 1;
    if (rows.length >= ROW_LIMIT) return;
    rows.push({ orderId: d.orderId, name: report.names[d.orderId] ?? d.orderId, base: planView(d, names), compare: other ? planView(other, names) : null });
  });
  return {
    ok: true,
    days: report.days,
    orders: report.orders,
    base: { label: base.label, aggregates: report.base.aggregates },
    compare: report.compare ? { label: candidate.label, aggregates: report.compare.aggregates } : null,
    delta: report.delta,
    rows,
    matching,
    limit: ROW_LIMIT,
    notes: report.notes.map((n) => humanize(n, names)),
  };
}

function failure(error: unknown) {
  if (error instanceof DomainError) {
    const field = typeof error.details.field === "string" ? error.details.field : null;
    return json<WhatIfResult>({ ok: false, field, message: error.message }, { status: HTTP_STATUS[error.kind] });
  }
  throw error;
}

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const params = new URL(request.url).searchParams;
  try {
    const days = parseDays(params.get("days"));
    const raw = params.get("version");
    const wanted = Number(raw);
    if (!Number.isInteger(wanted) || wanted < 1) throw DomainError.invalid("version", `must be a version number, got ${String(raw)}`);
    const found = (await listVersions(runtime.db, shop)).find((v) => v.version === wanted);
    if (!found) throw DomainError.notFound(`routing profile ${DEFAULT_PROFILE} v${wanted}`);
    return json<WhatIfResult>(await run({ db: runtime.db, now: runtime.now }, shop, { profile: found.profile, label: versionLabel(found), version: found.version }, days));
  } catch (error) {
    return failure(error);
  }
};

export const action = async ({ request, context }: ActionFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const form = await request.formData();
  try {
    const days = parseDays(form.get("days"));
    const rules = parseRulesJson(form.get("rules"));
    const profile: RoutingProfile = { id: DEFAULT_PROFILE, version: 0, rules };
    return json<WhatIfResult>(await run({ db: runtime.db, now: runtime.now }, shop, { profile, label: "Unsaved edits", version: null }, days));
  } catch (error) {
    return failure(error);
  }
};
