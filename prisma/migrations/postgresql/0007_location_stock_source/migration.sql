-- AlterTable
ALTER TABLE "Location" ADD COLUMN     "stockSource" TEXT NOT NULL DEFAULT 'shopify';

