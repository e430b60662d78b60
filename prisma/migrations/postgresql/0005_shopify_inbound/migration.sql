-- AlterTable
ALTER TABLE "Location" ADD COLUMN     "shopifyUpdatedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "financialStatus" TEXT,
ADD COLUMN     "fulfillmentStatus" TEXT,
ADD COLUMN     "sourceUpdatedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "OrderEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '{}',
    "subjectId" TEXT,
    "sourceEventId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrderEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopifyFulfillmentOrder" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "fulfillmentOrderId" TEXT NOT NULL,
    "orderId" TEXT,
    "status" TEXT NOT NULL,
    "assignedLocationGid" TEXT,
    "locationId" TEXT,
    "holds" TEXT NOT NULL DEFAULT '[]',
    "sourceUpdatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopifyFulfillmentOrder_pkey" PRIMARY KEY ("id")
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

