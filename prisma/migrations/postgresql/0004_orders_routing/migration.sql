-- AlterTable
ALTER TABLE "Location" ADD COLUMN     "routingPriority" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "sameDayCutoffMinutes" INTEGER,
ADD COLUMN     "shippingZones" TEXT;

-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "externalOrderId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'received',
    "speed" TEXT NOT NULL DEFAULT 'standard',
    "b2b" BOOLEAN NOT NULL DEFAULT false,
    "companyId" TEXT,
    "customerRef" TEXT,
    "customerTags" TEXT NOT NULL DEFAULT '',
    "destination" TEXT NOT NULL,
    "pickupLocationId" TEXT,
    "valueCents" INTEGER NOT NULL DEFAULT 0,
    "currencyCode" TEXT NOT NULL DEFAULT 'USD',
    "placedAt" TIMESTAMP(3) NOT NULL,
    "routedAt" TIMESTAMP(3),
    "queue" TEXT,
    "statusReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "lineKey" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "quantity" INTEGER NOT NULL,
    "priceCents" INTEGER NOT NULL DEFAULT 0,
    "tags" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "OrderLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoutingDecision" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "profileKey" TEXT NOT NULL,
    "profileVersion" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "ruleId" TEXT,
    "queue" TEXT,
    "reason" TEXT NOT NULL,
    "plan" TEXT,
    "trace" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "slots" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoutingDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LocationDayCount" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "used" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "LocationDayCount_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Order_shop_placedAt_idx" ON "Order"("shop", "placedAt");

-- CreateIndex
CREATE INDEX "Order_shop_status_idx" ON "Order"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Order_channelId_externalOrderId_key" ON "Order"("channelId", "externalOrderId");

-- CreateIndex
CREATE INDEX "OrderLine_shop_idx" ON "OrderLine"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "OrderLine_orderId_lineKey_key" ON "OrderLine"("orderId", "lineKey");

-- CreateIndex
CREATE INDEX "RoutingDecision_shop_orderId_idx" ON "RoutingDecision"("shop", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "RoutingDecision_orderId_sequence_key" ON "RoutingDecision"("orderId", "sequence");

-- CreateIndex
CREATE INDEX "LocationDayCount_shop_idx" ON "LocationDayCount"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "LocationDayCount_locationId_day_key" ON "LocationDayCount"("locationId", "day");

