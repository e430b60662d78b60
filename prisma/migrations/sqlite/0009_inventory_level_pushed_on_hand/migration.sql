-- AlterTable
ALTER TABLE "InventoryLevel" ADD COLUMN "pushedOnHand" INTEGER;

