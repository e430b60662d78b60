-- AlterTable
ALTER TABLE "AmazonAccount" ADD COLUMN     "notificationsCheckedAt" TIMESTAMP(3),
ADD COLUMN     "notificationsDestinationId" TEXT,
ADD COLUMN     "notificationsFailures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "notificationsMessage" TEXT,
ADD COLUMN     "notificationsStatus" TEXT NOT NULL DEFAULT 'off',
ADD COLUMN     "notificationsSubscriptionId" TEXT;

-- CreateTable
CREATE TABLE "AmazonNotificationDestination" (
    "id" TEXT NOT NULL,
    "lwaClientId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "destinationId" TEXT NOT NULL,
    "sqsArn" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AmazonNotificationDestination_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AmazonNotificationDestination_lwaClientId_region_key" ON "AmazonNotificationDestination"("lwaClientId", "region");

