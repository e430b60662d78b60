-- CreateTable
CREATE TABLE "AmazonAccount" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AmazonSyncState" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "watermark" DATETIME,
    "windowEnd" DATETIME,
    "pageToken" TEXT,
    "pageTokenIssuedAt" DATETIME,
    "lastRunAt" DATETIME,
    "lastError" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AmazonListingQuantity" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "marketplaceId" TEXT NOT NULL,
    "sellerSku" TEXT NOT NULL,
    "variantId" TEXT,
    "desired" INTEGER NOT NULL,
    "sent" INTEGER,
    "accepted" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "issues" TEXT NOT NULL DEFAULT '[]',
    "feedId" TEXT,
    "changedAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    "acceptedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AmazonFeed" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "marketplaceId" TEXT NOT NULL,
    "feedType" TEXT NOT NULL DEFAULT 'JSON_LISTINGS_FEED',
    "messageCount" INTEGER NOT NULL,
    "documentId" TEXT,
    "amazonFeedId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'building',
    "accepted" INTEGER,
    "invalid" INTEGER,
    "resultDocumentId" TEXT,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submittedAt" DATETIME,
    "finishedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AmazonShipmentConfirmation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "amazonOrderId" TEXT NOT NULL,
    "marketplaceId" TEXT NOT NULL,
    "packageReferenceId" TEXT NOT NULL,
    "fulfillmentGid" TEXT,
    "carrierCode" TEXT NOT NULL,
    "carrierName" TEXT,
    "shippingMethod" TEXT,
    "trackingNumber" TEXT NOT NULL,
    "shipDate" DATETIME NOT NULL,
    "items" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "confirmedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "AmazonAccount_shop_idx" ON "AmazonAccount"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "AmazonAccount_shop_region_sellerId_key" ON "AmazonAccount"("shop", "region", "sellerId");

-- CreateIndex
CREATE INDEX "AmazonSyncState_shop_idx" ON "AmazonSyncState"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "AmazonSyncState_accountId_stream_key" ON "AmazonSyncState"("accountId", "stream");

-- CreateIndex
CREATE INDEX "AmazonListingQuantity_shop_status_idx" ON "AmazonListingQuantity"("shop", "status");

-- CreateIndex
CREATE INDEX "AmazonListingQuantity_feedId_idx" ON "AmazonListingQuantity"("feedId");

-- CreateIndex
CREATE UNIQUE INDEX "AmazonListingQuantity_accountId_marketplaceId_sellerSku_key" ON "AmazonListingQuantity"("accountId", "marketplaceId", "sellerSku");

-- CreateIndex
CREATE INDEX "AmazonFeed_shop_status_idx" ON "AmazonFeed"("shop", "status");

-- CreateIndex
CREATE INDEX "AmazonShipmentConfirmation_shop_status_idx" ON "AmazonShipmentConfirmation"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "AmazonShipmentConfirmation_accountId_amazonOrderId_packageReferenceId_key" ON "AmazonShipmentConfirmation"("accountId", "amazonOrderId", "packageReferenceId");

