-- AlterTable
ALTER TABLE "Conversion" ADD COLUMN     "browserTokenHash" TEXT;

-- CreateIndex
CREATE INDEX "Conversion_apiKeyId_createdAt_idx" ON "Conversion"("apiKeyId", "createdAt");

-- CreateIndex
CREATE INDEX "Conversion_browserTokenHash_createdAt_idx" ON "Conversion"("browserTokenHash", "createdAt");

