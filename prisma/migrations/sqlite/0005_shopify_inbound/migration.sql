-- AlterTable
ALTER TABLE "Location" ADD COLUMN "shopifyUpdatedAt" DATETIME;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN "financialStatus" TEXT;
ALTER TABLE "Order" ADD COLUMN "fulfillmentStatus" TEXT;
ALTER TABLE "Order" ADD COLUMN "sourceUpdatedAt" DATETIME;

-- CreateTable
CREATE TABLE "OrderEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '{}',
    "subjectId" TEXT,
    "sourceEventId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ShopifyFulfillmentOrder" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "fulfillmentOrderId" TEXT NOT NULL,
    "orderId" TEXT,
    "status" TEXT NOT NULL,
    "assignedLocationGid" TEXT,
    "locationId" TEXT,
    "holds" TEXT NOT NULL DEFAULT '[]',
    "sourceUpdatedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "OrderEvent_sourceEventId_key" ON "OrderEvent"("sourceEventId");

-- CreateIndex
CREATE INDEX "OrderEvent_shop_orderId_occurredAt_idx" ON "OrderEvent"("shop", "orderId", "occurredAt");

-- CreateIndex
CREATE INDEX "OrderEvent_shop_subjectId_idx" ON "OrderEvent"("shop", "subjectId");

-- CreateIndex
CREATE INDEX "ShopifyFulfillmentOrder_shop_orderId_idx" ON "ShopifyFulfillmentOrder"("shop", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "ShopifyFulfillmentOrder_shop_fulfillmentOrderId_key" ON "ShopifyFulfillmentOrder"("shop", "fulfillmentOrderId");

