import { beforeEach, expect, it } from "vitest";
import { amazonCredentials, disconnectAmazonAccount, listAmazonAccounts, saveAmazonAccount, type AmazonAccountInput, type CredentialCheck } from "#app/modules/amazon/index";
import { createSecretBox, parseKeyring } from "#app/platform/crypto.server";
import { DomainError } from "#app/platform/errors";
import { purgeShop } from "#app/workflows/purge-shop.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeChannel } from "#test/support/inventory";
import { TEST_KEYS } from "#test/support/runtime";

const A = "a.myshopify.com";
const B = "b.myshopify.com";
const NOW = new Date("2026-12-02T12:00:00.000Z");
const secrets = createSecretBox(parseKeyring(TEST_KEYS));
const FORM: AmazonAccountInput = {
  region: "na",
  sellerId: "A2EXAMPLE12345",
  lwaClientId: "amzn1.application-oa2-client.0123456789abcdef",
  lwaClientSecret: "amzn1.oa2-cs.v1.the-client-secret",
  refreshToken: "Atzr|IwEBI-the-refresh-token-9876",
  marketplaces: [{ marketplaceId: "ATVPDKIKX0DER", channelCode: "amazon-us" }],
  features: {},
};

describeEachDatabase("Amazon accounts", (tdb) => {
  const checks: Parameters<CredentialCheck>[0][] = [];
  let verdict: Awaited<ReturnType<CredentialCheck>> = { ok: true };
  const deps = () => ({
    db: tdb().handle.db,
    secrets,
    now: () => NOW,
    checkCredentials: async (c: Parameters<CredentialCheck>[0]) => {
      checks.push(c);
      return verdict;
    },
  });

  beforeEach(async () => {
    await truncateAll(tdb().handle);
    checks.length = 0;
    verdict = { ok: true };
    await makeChannel(tdb().handle.db, A, "amazon-us", []);
    await makeChannel(tdb().handle.db, B, "amazon-us", []);
  });

  it("stores the LWA secret and refresh token sealed, checked with Amazon first, and shows only their tail", async () => {
    const view = await saveAmazonAccount(deps(), A, FORM);
    expect(checks).toEqual([{ region: "na", sellerId: "A2EXAMPLE12345", lwaClientId: FORM.lwaClientId, lwaClientSecret: FORM.lwaClientSecret, refreshToken: FORM.refreshToken, marketplaceIds: ["ATVPDKIKX0DER"] }]);
    expect(view).toMatchObject({ status: "connected", lwaClientSecret: "••••", refreshToken: "••••9876", marketplaces: [{ marketplaceId: "ATVPDKIKX0DER", name: "Amazon.com", channelCode: "amazon-us" }] });
    const row = await tdb().handle.db.amazonAccount.findFirstOrThrow({ where: { shop: A } });
    expect(JSON.stringify(row)).not.toContain("the-client-secret");
    expect(JSON.stringify(row)).not.toContain("the-refresh-token");
    expect(await amazonCredentials(deps(), A, row.id)).toMatchObject({ lwaClientSecret: FORM.lwaClientSecret, refreshToken: FORM.refreshToken, marketplaceIds: ["ATVPDKIKX0DER"] });
  });

  it("a sealed secret copied onto another shop's row does not open (bound to its owner)", async () => {
    const a = await saveAmazonAccount(deps(), A, FORM);
    const b = await saveAmazonAccount(deps(), B, { ...FORM, refreshToken: "Atzr|IwEBI-b-token-0000" });
    const db = tdb().handle.db;
    const rowA = await db.amazonAccount.findUniqueOrThrow({ where: { id: a.id } });
    await db.amazonAccount.update({ where: { id: b.id }, data: { refreshTokenEnc: rowA.refreshTokenEnc } });
    await expect(amazonCredentials(deps(), B, b.id)).rejects.toThrow();
    // …and one shop cannot read another's account at all.
    await expect(amazonCredentials(deps(), B, a.id)).rejects.toMatchObject({ kind: "NOT_FOUND" });
    expect((await listAmazonAccounts(deps(), B)).map((x) => x.id)).toEqual([b.id]);
  });

  it("refused credentials store nothing and say what Amazon said, naming the field", async () => {
    verdict = { ok: false, field: "refreshToken", message: "invalid_grant: The request has an invalid grant parameter" };
    const err = await saveAmazonAccount(deps(), A, FORM).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ kind: "INVALID", message: expect.stringContaining("Amazon refused these credentials: invalid_grant") });
    expect(await tdb().handle.db.amazonAccount.count()).toBe(0);
  });

  it("a bad form is refused before Amazon is asked", async () => {
    await expect(saveAmazonAccount(deps(), A, { ...FORM, marketplaces: [{ marketplaceId: "A1PA6795UKMFR9", channelCode: "amazon-us" }] })).rejects.toMatchObject({ kind: "INVALID" });
    expect(checks).toEqual([]);
  });

  it("an edit with empty secrets keeps the stored ones; disconnect destroys them; reconnecting reuses the row", async () => {
    const first = await saveAmazonAccount(deps(), A, FORM);
    await saveAmazonAccount(deps(), A, { ...FORM, lwaClientSecret: "", refreshToken: "", features: { fbaInventory: false } }, first.id);
    expect(checks[1]).toMatchObject({ lwaClientSecret: FORM.lwaClientSecret, refreshToken: FORM.refreshToken });
    expect((await amazonCredentials(deps(), A, first.id)).features.fbaInventory).toBe(false);

    const off = await disconnectAmazonAccount(deps(), A, first.id);
    expect(off.status).toBe("disconnected");
    const row = await tdb().handle.db.amazonAccount.findUniqueOrThrow({ where: { id: first.id } });
    expect([row.lwaClientSecretEnc, row.refreshTokenEnc]).toEqual(["", ""]);
    await expect(amazonCredentials(deps(), A, first.id)).rejects.toMatchObject({ kind: "NOT_FOUND" });
    // A reconnect without secrets cannot work: they are gone.
    await expect(saveAmazonAccount(deps(), A, { ...FORM, lwaClientSecret: "", refreshToken: "" }, first.id)).rejects.toMatchObject({ kind: "INVALID" });
    const again = await saveAmazonAccount(deps(), A, FORM);
    expect(again.id).toBe(first.id);
    expect(again.status).toBe("connected");
  });

  it("the shop purge removes its accounts and nothing of another shop's", async () => {
    await saveAmazonAccount(deps(), A, FORM);
    await saveAmazonAccount(deps(), B, FORM);
    await purgeShop(tdb().handle.db, A, { keepShopRow: false, now: NOW });
    expect((await tdb().handle.db.amazonAccount.findMany()).map((r) => r.shop)).toEqual([B]);
  });
});
