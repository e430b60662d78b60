-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_InventoryLevel" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "sourceUpdatedAt" DATETIME,
    "pushedOnHand" INTEGER,
    "pushedOnHandVersion" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_InventoryLevel" ("available", "committed", "damaged", "held", "id", "incoming", "locationId", "onHand", "pushedOnHand", "qualityControl", "reserved", "safetyStock", "shop", "sourceUpdatedAt", "updatedAt", "variantId", "version") SELECT "available", "committed", "damaged", "held", "id", "incoming", "locationId", "onHand", "pushedOnHand", "qualityControl", "reserved", "safetyStock", "shop", "sourceUpdatedAt", "updatedAt", "variantId", "version" FROM "InventoryLevel";
DROP TABLE "InventoryLevel";
ALTER TABLE "new_InventoryLevel" RENAME TO "InventoryLevel";
CREATE INDEX "InventoryLevel_shop_locationId_idx" ON "InventoryLevel"("shop", "locationId");
CREATE UNIQUE INDEX "InventoryLevel_variantId_locationId_key" ON "InventoryLevel"("variantId", "locationId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

