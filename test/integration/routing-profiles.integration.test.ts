import { beforeEach, expect, it } from "vitest";
import { activateVersion, getActive, listVersions, rollback, routingFixtures, saveDraft } from "#app/modules/routing/index";
import { describeEachDatabase, truncateAll } from "#test/support/databases";

const SHOP = "routing.myshopify.com";
const OTHER = "other.myshopify.com";
const T0 = new Date("2026-11-27T10:00:00Z");

describeEachDatabase("routing profiles: versions, activation, rollback", (tdb) => {
  beforeEach(async () => truncateAll(tdb().handle));
  const deps = () => ({ db: tdb().handle.db, now: () => T0 });
  const rules = routingFixtures.demoProfile().rules;

  it("saves drafts as numbered versions, activates one at a time, rolls back, and keeps history", async () => {
    const { db } = tdb().handle;
    expect((await saveDraft(db, SHOP, { rules, actor: "ana@shop", note: "seed scenarios" })).version).toBe(1);
    expect(await getActive(db, SHOP)).toBeNull();
    await activateVersion(deps(), SHOP, 1);
    const v2 = await saveDraft(db, SHOP, { rules: rules.slice(0, 3), actor: "ana@shop" });
    expect(v2).toMatchObject({ version: 2, status: "draft" });
    expect((await getActive(db, SHOP))?.version).toBe(1); // a draft changes nothing live
    await activateVersion(deps(), SHOP, 2);
    expect(await getActive(db, SHOP)).toMatchObject({ version: 2, status: "active", profile: { id: "default", version: 2 } });
    await rollback(deps(), SHOP);
    expect((await getActive(db, SHOP))?.version).toBe(1);
    expect((await listVersions(db, SHOP)).map((v) => [v.version, v.status])).toEqual([
      [2, "retired"],
      [1, "active"],
    ]);
    // Another shop's profiles are its own.
    expect(await getActive(db, OTHER)).toBeNull();
    await expect(activateVersion(deps(), OTHER, 1)).rejects.toMatchObject({ kind: "NOT_FOUND" });
  });

  it("refuses an invalid profile, naming the field", async () => {
    const bad = [{ ...rules[0]!, sort: [{ by: "closest" as never }] }];
    await expect(saveDraft(tdb().handle.db, SHOP, { rules: bad, actor: "ana@shop" })).rejects.toMatchObject({ kind: "INVALID", message: expect.stringContaining("profile.rules[0].sort[0].by") });
    expect(await listVersions(tdb().handle.db, SHOP)).toEqual([]);
  });

  it("leaves exactly one active version when activations race", async () => {
    const { db } = tdb().handle;
    for (let i = 0; i < 4; i++) await saveDraft(db, SHOP, { rules, actor: "x" });
    const conns = tdb().provider === "postgresql" ? [tdb().connect(), tdb().connect(), tdb().connect(), tdb().connect()] : [tdb().handle, tdb().handle, tdb().handle, tdb().handle];
    const results = await Promise.allSettled(conns.map((h, i) => activateVersion({ db: h.db, now: () => T0 }, SHOP, i + 1)));
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ kind: "CONFLICT" });
    expect((await listVersions(db, SHOP)).filter((v) => v.status === "active")).toHaveLength(1);
  });
});
