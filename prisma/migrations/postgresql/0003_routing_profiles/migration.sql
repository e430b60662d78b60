-- CreateTable
CREATE TABLE "RoutingProfileVersion" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "profileKey" TEXT NOT NULL DEFAULT 'default',
    "version" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "activeFor" TEXT,
    "body" TEXT NOT NULL,
    "note" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatedAt" TIMESTAMP(3),

    CONSTRAINT "RoutingProfileVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RoutingProfileVersion_activeFor_key" ON "RoutingProfileVersion"("activeFor");

-- CreateIndex
CREATE INDEX "RoutingProfileVersion_shop_profileKey_status_idx" ON "RoutingProfileVersion"("shop", "profileKey", "status");

-- CreateIndex
CREATE UNIQUE INDEX "RoutingProfileVersion_shop_profileKey_version_key" ON "RoutingProfileVersion"("shop", "profileKey", "version");

