-- A digest's e-mail names no directive (it covers many).
ALTER TABLE "EmailDelivery" ALTER COLUMN "directiveId" DROP NOT NULL;
