import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Layout, Page } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useMemo, useState } from "react";
import { parseRulesJson } from "#app/components/routing/parse-rules";
import { RuleEditor } from "#app/components/routing/RuleEditor";
import { locateError, toForm, toRules, type RuleForm } from "#app/components/routing/rule-form";
import type { VersionView } from "#app/components/routing/types";
import { VersionsCard } from "#app/components/routing/VersionsCard";
import { WhatIfPanel } from "#app/components/routing/WhatIfPanel";
import { listChannels, listLocations } from "#app/modules/inventory/index";
import { activateVersion, getActive, listVersions, rollback, saveDraft } from "#app/modules/routing/index";
import { DomainError } from "#app/platform/errors";
import { HTTP_STATUS } from "#app/platform/http.server";

/**
 * Routing: the shop's routing profile versions (activate, roll back), a rule editor that saves a
 * new draft, and the what-if that replays recent orders under a version before it goes live
 * (app.routing.what-if.tsx).
 */
type Intent = "save" | "activate" | "rollback";

type ActionResult = { ok: true; intent: Intent; version: number; message: string } | { ok: false; intent: Intent; field: string | null; message: string };

/** AdminContext carries no staff user (offline sessions); saves are attributed to the admin UI. */
const ACTOR = "admin";

export const meta: MetaFunction = () => [{ title: "Routing" }];

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const [versions, channels, locations] = await Promise.all([listVersions(runtime.db, shop), listChannels(runtime.db, shop), listLocations(runtime.db, shop)]);
  const active = versions.find((v) => v.status === "active") ?? null;
  // What `rollback` would re-activate: the retired version most recently active before this one.
  const previous = active
    ? versions
        .filter((v) => v.status === "retired" && v.activatedAt !== null && v.version !== active.version)
        .sort((a, b) => b.activatedAt!.getTime() - a.activatedAt!.getTime())[0]
    : undefined;
  return json({
    versions: versions.map<VersionView>((v) => ({
      version: v.version,
      status: v.status,
      note: v.note,
      createdBy: v.createdBy,
      createdAt: v.createdAt.toISOString(),
      activatedAt: v.activatedAt ? v.activatedAt.toISOString() : null,
      rules: v.profile.rules,
    })),
    rollbackTo: previous?.version ?? null,
    channels: channels.map((c) => ({ code: c.code, name: c.name })),
    locations: locations.map((l) => ({ id: l.id, name: l.name, kind: l.kind })),
  });
};

export const action = async ({ request, context }: ActionFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const deps = { db: runtime.db, now: runtime.now };
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "") as Intent;
  try {
    if (intent === "save") {
      const rules = parseRulesJson(form.get("rules"));
      const note = String(form.get("note") ?? "").trim();
      const base = String(form.get("baseVersion") ?? "");
      const saved = await saveDraft(runtime.db, shop, { rules, note: note || (base ? `edited from v${base}` : undefined), actor: ACTOR });
      return json<ActionResult>({ ok: true, intent, version: saved.version, message: `Saved draft v${saved.version} (${rules.length} ${rules.length === 1 ? "rule" : "rules"}). Try it in the what-if, then activate it.` });
    }
    if (intent === "activate") {
      const version = Number(form.get("version"));
      if (!Number.isInteger(version) || version < 1) throw DomainError.invalid("version", `must be a version number, got ${String(form.get("version"))}`);
      const before = await getActive(runtime.db, shop);
      const now = await activateVersion(deps, shop, version);
      const retired = before && before.version !== now.version ? `; v${before.version} retired (roll back to return to it)` : "";
      return json<ActionResult>({ ok: true, intent, version: now.version, message: `v${now.version} is now active${retired}` });
    }
    if (intent === "rollback") {
      const before = await getActive(runtime.db, shop);
      const now = await rollback(deps, shop);
      return json<ActionResult>({ ok: true, intent, version: now.version, message: `Rolled back: v${now.version} is active again${before ? ` (v${before.version} retired)` : ""}` });
    }
    return json<ActionResult>({ ok: false, intent, field: "intent", message: `unknown intent "${intent}"` }, { status: 400 });
  } catch (error) {
    if (error instanceof DomainError) {
      const field = typeof error.details.field === "string" ? error.details.field : null;
      return json<ActionResult>({ ok: false, intent, field, message: error.message }, { status: HTTP_STATUS[error.kind] });
    }
    throw error;
  }
};

const formsOf = (version: VersionView | undefined): RuleForm[] => (version ? version.rules.map((r, i) => toForm(r, `v${version.version}-${i}`)) : []);

export default function Routing() {
  const { versions, rollbackTo, channels, locations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const active = versions.find((v) => v.status === "active");
  const initial = active ?? versions[0];

  const [baseVersion, setBaseVersion] = useState<number | null>(initial?.version ?? null);
  const [rules, setRules] = useState<RuleForm[]>(() => formsOf(initial));
  const latestDraft = versions.find((v) => v.status === "draft" && (!active || v.version > active.version));
  const [whatIfTarget, setWhatIfTarget] = useState<string>(String(latestDraft?.version ?? initial?.version ?? "unsaved"));

  const [note, setNote] = useState("");

  // React to a new action result once: a saved draft becomes the editor's base and the what-if's
  // target, and the note is cleared (the rules stay: they are the new draft now).
  const [seen, setSeen] = useState(result);
  if (result !== seen) {
    setSeen(result);
    if (result?.ok && result.intent === "save") {
      setBaseVersion(result.version);
      setWhatIfTarget(String(result.version));
      setNote("");
    }
  }

  const base = versions.find((v) => v.version === baseVersion);
  const rulesJson = useMemo(() => JSON.stringify(toRules(rules)), [rules]);
  const baseJson = useMemo(() => JSON.stringify(toRules(formsOf(base))), [base]);
  const dirty = rulesJson !== baseJson;

  const loadVersion = (version: number | null) => {
    setBaseVersion(version);
    setRules(formsOf(versions.find((v) => v.version === version)));
  };

  // The router hands over the action's result before the revalidated data arrives: show the
  // outcome once the page shows the new state too.
  const settled = navigation.state === "idle";
  const saveOutcome = (() => {
    if (!result || result.intent !== "save" || !settled) return null;
    if (result.ok) return { ok: true as const, message: result.message };
    const at = locateError(result.field);
    return { ok: false as const, message: result.message, ruleKey: at ? (rules[at.index]?.key ?? null) : null, path: at?.path ?? null };
  })();
  const versionOutcome = result && result.intent !== "save" && settled ? { ok: result.ok, message: result.ok ? result.message : `Not done: ${result.message}` } : null;
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "save";

  return (
    <Page title="Routing" subtitle="Where each order ships from: ordered rules, saved as versions. Test a draft on recent orders, then activate it." fullWidth>
      <Layout>
        <Layout.Section>
          <VersionsCard
            versions={versions}
            rollbackTo={rollbackTo}
            outcome={versionOutcome}
            editing={baseVersion}
            onEdit={(v) => {
              loadVersion(v);
              document.getElementById("rule-editor")?.scrollIntoView({ behavior: "smooth", block: "start" });
            }}
            onWhatIf={(v) => {
              setWhatIfTarget(String(v));
              document.getElementById("what-if")?.scrollIntoView({ behavior: "smooth", block: "start" });
            }}
          />
        </Layout.Section>
        <Layout.Section>
          <div id="rule-editor">
            <RuleEditor
              versions={versions}
              channels={channels}
              locations={locations}
              baseVersion={baseVersion}
              onBaseVersion={loadVersion}
              rules={rules}
              onRules={setRules}
              dirty={dirty}
              rulesJson={rulesJson}
              note={note}
              onNote={setNote}
              saving={saving}
              outcome={saveOutcome}
            />
          </div>
        </Layout.Section>
        <Layout.Section>
          <div id="what-if">
            <WhatIfPanel versions={versions} target={whatIfTarget} onTarget={setWhatIfTarget} rulesJson={rulesJson} dirty={dirty} />
          </div>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
