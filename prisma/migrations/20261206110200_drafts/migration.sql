-- Drafts: an officer's implementing document or report, saved for the leader of the unit,
-- who issues it as it is or edited.
CREATE TABLE "Draft" (
    "id" TEXT NOT NULL,
    "directiveId" TEXT NOT NULL,
    "unitCode" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "draftedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "issuedAt" TIMESTAMP(3),
    "issuedBy" TEXT,
    "issuedContent" JSONB,

    CONSTRAINT "Draft_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Draft_directiveId_unitCode_idx" ON "Draft"("directiveId", "unitCode");
