-- A morning digest covers many directives: its outbox message names none.
ALTER TABLE "OutboxMessage" ALTER COLUMN "directiveId" DROP NOT NULL;

-- The digest reads a unit's open obligations by deadline.
CREATE INDEX "Obligation_open_unitCode_deadline_idx" ON "Obligation" ("unitCode", deadline)
  WHERE "doneAt" IS NULL AND "cancelledAt" IS NULL;
