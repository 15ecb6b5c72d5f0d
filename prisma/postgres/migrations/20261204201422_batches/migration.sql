-- AlterTable
ALTER TABLE "Conversion" ADD COLUMN     "batchId" TEXT;

-- CreateTable
CREATE TABLE "Batch" (
    "id" TEXT NOT NULL,
    "userId" TEXT,
    "apiKeyId" TEXT,
    "browserTokenHash" TEXT,
    "callerKey" TEXT NOT NULL,
    "options" JSONB NOT NULL,
    "formats" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL DEFAULT 'api',
    "itemCount" INTEGER NOT NULL,
    "callbackUrl" TEXT,
    "webhookState" TEXT,
    "webhookAttempts" INTEGER NOT NULL DEFAULT 0,
    "cancelledAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Batch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BatchItem" (
    "id" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "fileName" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "inputHash" TEXT,
    "inputBytes" INTEGER NOT NULL,
    "inputType" TEXT,
    "problem" JSONB,
    "conversionId" TEXT,
    "type" TEXT,
    "tier" INTEGER,
    "ssim" DOUBLE PRECISION,
    "bytes" INTEGER,
    "durationMs" DOUBLE PRECISION,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "availableAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BatchItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Batch_callerKey_finishedAt_idx" ON "Batch"("callerKey", "finishedAt");

-- CreateIndex
CREATE INDEX "Batch_createdAt_idx" ON "Batch"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "BatchItem_conversionId_key" ON "BatchItem"("conversionId");

-- CreateIndex
CREATE INDEX "BatchItem_batchId_position_idx" ON "BatchItem"("batchId", "position");

-- CreateIndex
CREATE INDEX "BatchItem_state_availableAt_idx" ON "BatchItem"("state", "availableAt");

-- CreateIndex
CREATE INDEX "Conversion_batchId_idx" ON "Conversion"("batchId");

-- AddForeignKey
ALTER TABLE "BatchItem" ADD CONSTRAINT "BatchItem_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

