-- CreateTable
CREATE TABLE "AmazonNotificationDestination" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "lwaClientId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "destinationId" TEXT NOT NULL,
    "sqsArn" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AmazonAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "sellerId" TEXT NOT NULL,
    "marketplaces" TEXT NOT NULL DEFAULT '[]',
    "lwaClientId" TEXT NOT NULL,
    "lwaClientSecretEnc" TEXT NOT NULL,
    "refreshTokenEnc" TEXT NOT NULL,
    "features" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'connected',
    "lastError" TEXT,
    "validatedAt" DATETIME,
    "disconnectedAt" DATETIME,
    "notificationsStatus" TEXT NOT NULL DEFAULT 'off',
    "notificationsSubscriptionId" TEXT,
    "notificationsDestinationId" TEXT,
    "notificationsMessage" TEXT,
    "notificationsCheckedAt" DATETIME,
    "notificationsFailures" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_AmazonAccount" ("createdAt", "disconnectedAt", "features", "id", "lastError", "lwaClientId", "lwaClientSecretEnc", "marketplaces", "refreshTokenEnc", "region", "sellerId", "shop", "status", "updatedAt", "validatedAt") SELECT "createdAt", "disconnectedAt", "features", "id", "lastError", "lwaClientId", "lwaClientSecretEnc", "marketplaces", "refreshTokenEnc", "region", "sellerId", "shop", "status", "updatedAt", "validatedAt" FROM "AmazonAccount";
DROP TABLE "AmazonAccount";
ALTER TABLE "new_AmazonAccount" RENAME TO "AmazonAccount";
CREATE INDEX "AmazonAccount_shop_idx" ON "AmazonAccount"("shop");
CREATE UNIQUE INDEX "AmazonAccount_shop_region_sellerId_key" ON "AmazonAccount"("shop", "region", "sellerId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "AmazonNotificationDestination_lwaClientId_region_key" ON "AmazonNotificationDestination"("lwaClientId", "region");

