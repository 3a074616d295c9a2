-- Incidents: an assignment the engine could not carry on is stage FAILED, with when and why,
-- and an admin retry starts a new attempt.
ALTER TABLE "Assignment" ADD COLUMN "failedAt" TIMESTAMP(3);
ALTER TABLE "Assignment" ADD COLUMN "failureReason" TEXT;
ALTER TABLE "Assignment" ADD COLUMN "attempt" INTEGER NOT NULL DEFAULT 0;
