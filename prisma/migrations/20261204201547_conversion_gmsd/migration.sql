-- AlterTable
ALTER TABLE "Conversion" ADD COLUMN "gmsd" REAL;

