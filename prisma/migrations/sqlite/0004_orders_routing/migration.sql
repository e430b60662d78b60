-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "placedAt" DATETIME NOT NULL,
    "routedAt" DATETIME,
    "queue" TEXT,
    "statusReason" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "lineKey" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "quantity" INTEGER NOT NULL,
    "priceCents" INTEGER NOT NULL DEFAULT 0,
    "tags" TEXT NOT NULL DEFAULT ''
);

-- CreateTable
CREATE TABLE "RoutingDecision" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "LocationDayCount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "used" INTEGER NOT NULL DEFAULT 0
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Location" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "latitude" REAL,
    "longitude" REAL,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "openingHours" TEXT NOT NULL DEFAULT '{}',
    "hoursExceptions" TEXT NOT NULL DEFAULT '[]',
    "shipsOnlineOrders" BOOLEAN NOT NULL DEFAULT true,
    "offersPickup" BOOLEAN NOT NULL DEFAULT false,
    "shipsFromStore" BOOLEAN NOT NULL DEFAULT false,
    "dailyShipFromStoreCap" INTEGER,
    "handlingCostCents" INTEGER NOT NULL DEFAULT 0,
    "handlingDays" INTEGER NOT NULL DEFAULT 0,
    "routingPriority" INTEGER NOT NULL DEFAULT 10,
    "sameDayCutoffMinutes" INTEGER,
    "shippingZones" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Location" ("active", "address1", "city", "countryCode", "createdAt", "dailyShipFromStoreCap", "handlingCostCents", "handlingDays", "hoursExceptions", "id", "kind", "latitude", "longitude", "name", "offersPickup", "openingHours", "province", "readOnly", "shipsFromStore", "shipsOnlineOrders", "shop", "shopifyLocationId", "timeZone", "updatedAt", "zip") SELECT "active", "address1", "city", "countryCode", "createdAt", "dailyShipFromStoreCap", "handlingCostCents", "handlingDays", "hoursExceptions", "id", "kind", "latitude", "longitude", "name", "offersPickup", "openingHours", "province", "readOnly", "shipsFromStore", "shipsOnlineOrders", "shop", "shopifyLocationId", "timeZone", "updatedAt", "zip" FROM "Location";
DROP TABLE "Location";
ALTER TABLE "new_Location" RENAME TO "Location";
CREATE UNIQUE INDEX "Location_shop_shopifyLocationId_key" ON "Location"("shop", "shopifyLocationId");
CREATE UNIQUE INDEX "Location_shop_name_key" ON "Location"("shop", "name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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

