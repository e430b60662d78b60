import { afterAll, beforeAll, expect, it } from "vitest";
import { startAmazonSandbox, type AmazonSandbox } from "#connectors/amazon/sandbox/index";
import { saveAmazonAccount } from "#app/modules/amazon/index";
import { createSecretBox, parseKeyring } from "#app/platform/crypto.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeChannel, makeLocation } from "#test/support/inventory";
import { TEST_KEYS } from "#test/support/runtime";
import { runOmsAsync } from "#test/support/cli";

/**
 * `oms amazon-destination` as an operator runs it (a separate process, configuration from the
 * environment), against the Amazon sandbox peer (AMAZON_SANDBOX_URL): the destination is created
 * once for the connected account's LWA application and region with the application's grantless
 * token, stored, and found again (not duplicated) on a second run; `list` shows it with the
 * account's notification status; mistakes in the command line are named.
 */
const SHOP = "amz-dest-cli.myshopify.com";
const SELLER = "A2DESTCLI00001";
const ARN = "arn:aws:sqs:us-east-1:111122223333:oms-order-change";

/** Asynchronous: the peer answering the CLI's calls runs in this process, so it must not be blocked. */
const oms = (args: string[], env: Record<string, string>) => runOmsAsync(args, env);

describeEachDatabase("oms amazon-destination", (tdb) => {
  let peer: AmazonSandbox;
  const env = () => ({ APP_MODE: "sandbox", DATABASE_URL: tdb().url, OMS_ENCRYPTION_KEYS: TEST_KEYS, AMAZON_SANDBOX_URL: peer.url });

  beforeAll(async () => {
    peer = await startAmazonSandbox({ sellerId: SELLER, marketplaces: ["ATVPDKIKX0DER"] });
    const { db } = tdb().handle;
    await truncateAll(tdb().handle);
    await db.amazonNotificationDestination.deleteMany();
  });
  afterAll(async () => {
    await peer?.close();
  });

  it("with no connected account: says to connect one first (exit 1); command-line mistakes exit 2", async () => {
    expect(await oms(["amazon-destination", "--sqs-arn", ARN], env())).toMatchObject({ code: 1, stderr: expect.stringContaining("connect the account first") });
    expect(await oms(["amazon-destination"], env())).toMatchObject({ code: 2, stderr: expect.stringContaining("--sqs-arn is required (or set AMAZON_SQS_QUEUE_URL to derive it)") });
    expect(await oms(["amazon-destination", "--sqs-arn", "https://sqs.us-east-1.amazonaws.com/111122223333/q"], env())).toMatchObject({ code: 2, stderr: expect.stringContaining("is not an SQS queue ARN") });
    expect(await oms(["amazon-destination", "--sqs-arn", ARN, "--region", "us"], env())).toMatchObject({ code: 2, stderr: expect.stringContaining("--region must be na, eu or fe") });
  }, 120_000);

  it("creates the destination once for the account's application and region, reuses it on a second run, and lists it", async () => {
    const { db } = tdb().handle;
    const w = await makeLocation(db, SHOP, "West");
    await makeChannel(db, SHOP, "amazon-us", [w.id]);
    const secrets = createSecretBox(parseKeyring(TEST_KEYS));
    await saveAmazonAccount({ db, secrets, now: () => new Date(), checkCredentials: async () => ({ ok: true }) }, SHOP, {
      region: "na",
      sellerId: SELLER,
      lwaClientId: peer.lwa.clientId,
      lwaClientSecret: peer.lwa.clientSecret,
      refreshToken: peer.lwa.refreshToken,
      marketplaces: [{ marketplaceId: "ATVPDKIKX0DER", channelCode: "amazon-us" }],
      features: {},
    });

    const first = await oms(["amazon-destination", "--sqs-arn", ARN, "--json"], env());
    expect(first.code).toBe(0);
    const [created] = JSON.parse(first.stdout) as { lwaClientId: string; region: string; destinationId: string; created: boolean; accounts: number }[];
    expect(created).toMatchObject({ lwaClientId: peer.lwa.clientId, region: "na", created: true, accounts: 1 });
    expect([...peer.state.destinations.values()]).toEqual([{ destinationId: created!.destinationId, name: "oms-order-change-na", resource: { sqs: { arn: ARN } } }]);

    const second = await oms(["amazon-destination", "--sqs-arn", ARN], env());
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`${created!.destinationId}\\s+existing \\(reused\\)\\s+1`));
    expect(peer.state.destinations.size).toBe(1);

    const list = JSON.parse((await oms(["amazon-destination", "list", "--json"], env())).stdout) as { destinations: { destinationId: string; sqsArn: string }[]; accounts: { sellerId: string; notificationsStatus: string }[]; consumer: { state: string } };
    expect(list.destinations).toEqual([expect.objectContaining({ destinationId: created!.destinationId, sqsArn: ARN })]);
    // The account's subscription waits for the running app (its outbox → amazon.ensureNotifications).
    expect(list.accounts).toEqual([expect.objectContaining({ sellerId: SELLER, notificationsStatus: "pending" })]);
    expect(list.consumer).toEqual({ state: "off", queueUrl: null });
  }, 120_000);
});
