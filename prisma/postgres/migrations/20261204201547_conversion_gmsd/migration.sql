-- AlterTable
ALTER TABLE "Conversion" ADD COLUMN     "gmsd" DOUBLE PRECISION;

