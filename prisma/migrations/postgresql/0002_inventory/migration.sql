-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "jobDedupeKey" TEXT;

-- CreateTable
CREATE TABLE "Product" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyProductId" TEXT,
    "title" TEXT NOT NULL,
    "vendor" TEXT,
    "tags" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Variant" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "shopifyVariantId" TEXT,
    "shopifyInventoryItemId" TEXT,
    "barcode" TEXT,
    "tags" TEXT NOT NULL DEFAULT '',
    "isKit" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Variant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KitComponent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kitVariantId" TEXT NOT NULL,
    "componentVariantId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "KitComponent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelListing" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "externalSku" TEXT NOT NULL,
    "externalId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelListing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Location" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyLocationId" TEXT,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "readOnly" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "address1" TEXT,
    "city" TEXT,
    "province" TEXT,
    "countryCode" TEXT,
    "zip" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "openingHours" TEXT NOT NULL DEFAULT '{}',
    "hoursExceptions" TEXT NOT NULL DEFAULT '[]',
    "shipsOnlineOrders" BOOLEAN NOT NULL DEFAULT true,
    "offersPickup" BOOLEAN NOT NULL DEFAULT false,
    "shipsFromStore" BOOLEAN NOT NULL DEFAULT false,
    "dailyShipFromStoreCap" INTEGER,
    "handlingCostCents" INTEGER NOT NULL DEFAULT 0,
    "handlingDays" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Location_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InventoryLevel" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "onHand" INTEGER NOT NULL DEFAULT 0,
    "available" INTEGER NOT NULL DEFAULT 0,
    "committed" INTEGER NOT NULL DEFAULT 0,
    "reserved" INTEGER NOT NULL DEFAULT 0,
    "incoming" INTEGER NOT NULL DEFAULT 0,
    "safetyStock" INTEGER NOT NULL DEFAULT 0,
    "damaged" INTEGER NOT NULL DEFAULT 0,
    "qualityControl" INTEGER NOT NULL DEFAULT 0,
    "held" INTEGER NOT NULL DEFAULT 0,
    "sourceUpdatedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InventoryLevel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InventoryLedgerEntry" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "quantityName" TEXT NOT NULL,
    "delta" INTEGER NOT NULL,
    "resulting" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "reference" TEXT,
    "actor" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InventoryLedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Channel" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "eligibleLocationIds" TEXT NOT NULL DEFAULT '[]',
    "bufferUnits" INTEGER NOT NULL DEFAULT 0,
    "bufferPercent" INTEGER NOT NULL DEFAULT 0,
    "maxExposure" INTEGER,
    "zeroPolicy" TEXT NOT NULL DEFAULT 'zero',
    "backorderQuantity" INTEGER NOT NULL DEFAULT 0,
    "hubHoldsStock" BOOLEAN NOT NULL DEFAULT false,
    "holdTtlMinutes" INTEGER,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Channel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelPolicyOverride" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "sku" TEXT,
    "tag" TEXT,
    "bufferUnits" INTEGER,
    "bufferPercent" INTEGER,
    "maxExposure" INTEGER,

    CONSTRAINT "ChannelPolicyOverride_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reservation" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "externalOrderId" TEXT NOT NULL,
    "lineKey" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "expiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Reservation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReservationAllocation" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "reservationId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "ReservationAllocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AtsPublication" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "lastAts" INTEGER,
    "lastAction" TEXT,
    "lastComputedAt" TIMESTAMP(3),
    "lastPublishedAt" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'pending',
    "explanation" TEXT,

    CONSTRAINT "AtsPublication_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Product_shop_title_idx" ON "Product"("shop", "title");

-- CreateIndex
CREATE UNIQUE INDEX "Product_shop_shopifyProductId_key" ON "Product"("shop", "shopifyProductId");

-- CreateIndex
CREATE INDEX "Variant_shop_productId_idx" ON "Variant"("shop", "productId");

-- CreateIndex
CREATE UNIQUE INDEX "Variant_shop_sku_key" ON "Variant"("shop", "sku");

-- CreateIndex
CREATE UNIQUE INDEX "Variant_shop_shopifyInventoryItemId_key" ON "Variant"("shop", "shopifyInventoryItemId");

-- CreateIndex
CREATE INDEX "KitComponent_shop_idx" ON "KitComponent"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "KitComponent_kitVariantId_componentVariantId_key" ON "KitComponent"("kitVariantId", "componentVariantId");

-- CreateIndex
CREATE INDEX "ChannelListing_shop_idx" ON "ChannelListing"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelListing_channelId_externalSku_key" ON "ChannelListing"("channelId", "externalSku");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelListing_channelId_variantId_key" ON "ChannelListing"("channelId", "variantId");

-- CreateIndex
CREATE UNIQUE INDEX "Location_shop_shopifyLocationId_key" ON "Location"("shop", "shopifyLocationId");

-- CreateIndex
CREATE UNIQUE INDEX "Location_shop_name_key" ON "Location"("shop", "name");

-- CreateIndex
CREATE INDEX "InventoryLevel_shop_locationId_idx" ON "InventoryLevel"("shop", "locationId");

-- CreateIndex
CREATE UNIQUE INDEX "InventoryLevel_variantId_locationId_key" ON "InventoryLevel"("variantId", "locationId");

-- CreateIndex
CREATE INDEX "InventoryLedgerEntry_shop_variantId_occurredAt_idx" ON "InventoryLedgerEntry"("shop", "variantId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "Channel_shop_code_key" ON "Channel"("shop", "code");

-- CreateIndex
CREATE INDEX "ChannelPolicyOverride_shop_channelId_idx" ON "ChannelPolicyOverride"("shop", "channelId");

-- CreateIndex
CREATE INDEX "Reservation_shop_status_expiresAt_idx" ON "Reservation"("shop", "status", "expiresAt");

-- CreateIndex
CREATE INDEX "Reservation_shop_variantId_idx" ON "Reservation"("shop", "variantId");

-- CreateIndex
CREATE UNIQUE INDEX "Reservation_channelId_externalOrderId_lineKey_key" ON "Reservation"("channelId", "externalOrderId", "lineKey");

-- CreateIndex
CREATE INDEX "ReservationAllocation_reservationId_idx" ON "ReservationAllocation"("reservationId");

-- CreateIndex
CREATE INDEX "ReservationAllocation_shop_idx" ON "ReservationAllocation"("shop");

-- CreateIndex
CREATE INDEX "AtsPublication_shop_idx" ON "AtsPublication"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "AtsPublication_channelId_variantId_key" ON "AtsPublication"("channelId", "variantId");

