-- AlterTable
ALTER TABLE "Conversion" ADD COLUMN     "inputType" TEXT,
ADD COLUMN     "options" JSONB;

-- CreateTable
CREATE TABLE "SourceImage" (
    "hash" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SourceImage_pkey" PRIMARY KEY ("hash")
);

