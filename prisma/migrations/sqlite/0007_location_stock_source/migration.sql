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
    "stockSource" TEXT NOT NULL DEFAULT 'shopify',
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
    "shopifyUpdatedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Location" ("active", "address1", "city", "countryCode", "createdAt", "dailyShipFromStoreCap", "handlingCostCents", "handlingDays", "hoursExceptions", "id", "kind", "latitude", "longitude", "name", "offersPickup", "openingHours", "province", "readOnly", "routingPriority", "sameDayCutoffMinutes", "shippingZones", "shipsFromStore", "shipsOnlineOrders", "shop", "shopifyLocationId", "shopifyUpdatedAt", "timeZone", "updatedAt", "zip") SELECT "active", "address1", "city", "countryCode", "createdAt", "dailyShipFromStoreCap", "handlingCostCents", "handlingDays", "hoursExceptions", "id", "kind", "latitude", "longitude", "name", "offersPickup", "openingHours", "province", "readOnly", "routingPriority", "sameDayCutoffMinutes", "shippingZones", "shipsFromStore", "shipsOnlineOrders", "shop", "shopifyLocationId", "shopifyUpdatedAt", "timeZone", "updatedAt", "zip" FROM "Location";
DROP TABLE "Location";
ALTER TABLE "new_Location" RENAME TO "Location";
CREATE UNIQUE INDEX "Location_shop_shopifyLocationId_key" ON "Location"("shop", "shopifyLocationId");
CREATE UNIQUE INDEX "Location_shop_name_key" ON "Location"("shop", "name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

