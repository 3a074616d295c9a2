-- Obligations: what each unit owes and by when, so that the four official statuses (done on
-- time, done late, open within the deadline, overdue) are counted from the read model.
CREATE TABLE "Obligation" (
    "id" TEXT NOT NULL,
    "directiveId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "unitCode" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "provinceCode" TEXT,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "taskId" TEXT,
    "role" TEXT,
    "deadline" TIMESTAMP(3) NOT NULL,
    "doneAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "cancelReason" TEXT,

    CONSTRAINT "Obligation_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "Obligation_directiveId_idx" ON "Obligation"("directiveId");
CREATE INDEX "Obligation_ownerId_idx" ON "Obligation"("ownerId");
CREATE INDEX "Obligation_directiveId_taskId_idx" ON "Obligation"("directiveId", "taskId");
