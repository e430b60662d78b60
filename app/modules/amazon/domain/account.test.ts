import { describe, expect, it } from "vitest";
import { maskSecret, validateAccountInput, type AmazonAccountInput } from "./account";

const channelKinds = new Map([
  ["amazon-us", "amazon"],
  ["amazon-de", "amazon"],
  ["online", "online_store"],
]);
const good: AmazonAccountInput = {
  region: "NA",
  sellerId: " a2example12345 ",
  lwaClientId: "amzn1.application-oa2-client.0123456789abcdef",
  lwaClientSecret: "amzn1.oa2-cs.v1.secret",
  refreshToken: "Atzr|IwEBIrefresh",
  marketplaces: [{ marketplaceId: "ATVPDKIKX0DER", channelCode: "amazon-us" }],
  features: { fbaInventory: false },
};

describe("validateAccountInput", () => {
  it("normalises a good form: region lower-cased, seller id upper-cased, default features filled in", () => {
    expect(validateAccountInput(good, { channelKinds, editing: false })).toEqual({
      ok: true,
      value: {
        region: "na",
        sellerId: "A2EXAMPLE12345",
        lwaClientId: "amzn1.application-oa2-client.0123456789abcdef",
        lwaClientSecret: "amzn1.oa2-cs.v1.secret",
        refreshToken: "Atzr|IwEBIrefresh",
        marketplaces: [{ marketplaceId: "ATVPDKIKX0DER", channelCode: "amazon-us" }],
        features: { orders: true, quantities: true, shipments: true, fbaInventory: false },
      },
    });
  });

  it("names every field that is wrong, in form order", () => {
    const r = validateAccountInput(
      { region: "us", sellerId: "seller-1", lwaClientId: "client", lwaClientSecret: "", refreshToken: "refresh", marketplaces: [], features: {} },
      { channelKinds, editing: false },
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map((p) => p.field)).toEqual(["region", "sellerId", "lwaClientId", "lwaClientSecret", "refreshToken", "marketplaces"]);
    expect(!r.ok && r.problems[0]!.message).toBe('"us" is not an SP-API region: choose na (North America), eu (Europe) or fe (Far East)');
  });

  it("refuses a marketplace of another region, an unknown id, a duplicate, and a channel that is missing or not Amazon", () => {
    const r = validateAccountInput(
      {
        ...good,
        marketplaces: [
          { marketplaceId: "A1PA6795UKMFR9", channelCode: "amazon-de" },
          { marketplaceId: "NOPE", channelCode: "amazon-us" },
          { marketplaceId: "ATVPDKIKX0DER", channelCode: "amazon-us" },
          { marketplaceId: "ATVPDKIKX0DER", channelCode: "amazon-us" },
          { marketplaceId: "A2EUQ1WTGCTBG2", channelCode: "amazon-ca" },
          { marketplaceId: "A1AM78C64UM0Y8", channelCode: "online" },
        ],
      },
      { channelKinds, editing: false },
    );
    expect(!r.ok && r.problems).toEqual([
      { field: "marketplaces[0]", message: "Amazon.de is in the eu region, not na: connect it as a separate account for that region" },
      { field: "marketplaces[1]", message: '"NOPE" is not an Amazon marketplace id' },
      { field: "marketplaces[3]", message: "Amazon.com is listed twice" },
      { field: "marketplaces[4]", message: 'there is no channel "amazon-ca" (create it on the Channels page first)' },
      { field: "marketplaces[5]", message: 'channel "online" is not an Amazon channel (its kind is online_store)' },
    ]);
  });

  it("on an edit, empty secrets mean keep the stored ones", () => {
    const r = validateAccountInput({ ...good, lwaClientSecret: "", refreshToken: "" }, { channelKinds, editing: true });
    expect(r.ok && [r.value.lwaClientSecret, r.value.refreshToken]).toEqual([null, null]);
  });
});

describe("maskSecret", () => {
  it("shows the last four characters of a long secret, nothing of a short one", () => {
    expect(maskSecret("Atzr|IwEBIrefresh1234")).toBe("••••1234");
    expect(maskSecret("short")).toBe("••••");
  });
});
