-- AlterTable
ALTER TABLE "Conversion" ADD COLUMN "inputType" TEXT;
ALTER TABLE "Conversion" ADD COLUMN "options" JSONB;

-- CreateTable
CREATE TABLE "SourceImage" (
    "hash" TEXT NOT NULL PRIMARY KEY,
    "mimeType" TEXT NOT NULL,
    "bytes" BLOB NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

