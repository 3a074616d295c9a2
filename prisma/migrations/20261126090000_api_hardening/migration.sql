-- Issue 13: tokens expire and remember their last use, idempotency records expire and are
-- bounded per owner, an audit trail of accepted mutating requests.

-- Tokens issued before expiry existed get the default lifetime (90 days) from their creation.
ALTER TABLE "ApiToken" ADD COLUMN "expiresAt" TIMESTAMP(3);
ALTER TABLE "ApiToken" ADD COLUMN "lastUsedAt" TIMESTAMP(3);
UPDATE "ApiToken" SET "expiresAt" = "createdAt" + interval '90 days';
ALTER TABLE "ApiToken" ALTER COLUMN "expiresAt" SET NOT NULL;

-- The key is "<owner>:<Idempotency-Key>", records older than a day are forgotten.
ALTER TABLE "IdempotencyRecord" ADD COLUMN "owner" TEXT;
ALTER TABLE "IdempotencyRecord" ADD COLUMN "expiresAt" TIMESTAMP(3);
UPDATE "IdempotencyRecord"
   SET "owner" = split_part("key", ':', 1), "expiresAt" = "createdAt" + interval '24 hours';
ALTER TABLE "IdempotencyRecord" ALTER COLUMN "owner" SET NOT NULL;
ALTER TABLE "IdempotencyRecord" ALTER COLUMN "expiresAt" SET NOT NULL;
CREATE INDEX "IdempotencyRecord_owner_createdAt_idx" ON "IdempotencyRecord"("owner", "createdAt");
CREATE INDEX "IdempotencyRecord_expiresAt_idx" ON "IdempotencyRecord"("expiresAt");

CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "requestId" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "tokenId" TEXT,
    "actorUnitCode" TEXT,
    "forUnitCode" TEXT,
    "method" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "status" INTEGER NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "AuditEvent_forUnitCode_at_idx" ON "AuditEvent"("forUnitCode", "at");
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");
