-- AlterTable
ALTER TABLE "InventoryLevel" ADD COLUMN     "pushedOnHandVersion" INTEGER NOT NULL DEFAULT 0;

