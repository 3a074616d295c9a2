-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Unit" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "parentCode" TEXT,
    "path" TEXT NOT NULL,
    "depth" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Unit_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Directive" (
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "issuerCode" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "body" TEXT,
    "basedOn" TEXT[],
    "rootId" TEXT NOT NULL,
    "parentId" TEXT,
    "recipients" TEXT[],
    "policy" JSONB,
    "status" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Directive_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Task" (
    "id" TEXT NOT NULL,
    "directiveId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "leadUnitCode" TEXT,
    "coordinatingUnits" TEXT[],
    "dueAt" TIMESTAMP(3),
    "recurrence" TEXT,

    CONSTRAINT "Task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Assignment" (
    "id" TEXT NOT NULL,
    "directiveId" TEXT NOT NULL,
    "unitCode" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "depth" INTEGER NOT NULL,
    "parentAssignmentId" TEXT,
    "parentUnitCode" TEXT,
    "receivedDirectiveId" TEXT NOT NULL,
    "implementingDirectiveId" TEXT,
    "stage" TEXT NOT NULL,
    "mustConcretize" BOOLEAN NOT NULL,
    "isLeaf" BOOLEAN NOT NULL,
    "ackVersion" INTEGER NOT NULL DEFAULT 0,
    "directiveVersion" INTEGER NOT NULL DEFAULT 1,
    "nextDeadline" TIMESTAMP(3),
    "waitingFor" TEXT,
    "overdue" BOOLEAN NOT NULL DEFAULT false,
    "escalationRung" INTEGER NOT NULL DEFAULT 0,
    "reportCycle" INTEGER NOT NULL DEFAULT 0,
    "deliveredAt" TIMESTAMP(3) NOT NULL,
    "acknowledgedAt" TIMESTAMP(3),
    "concretizedAt" TIMESTAMP(3),
    "forwardedAt" TIMESTAMP(3),
    "reportedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TimelineEvent" (
    "id" TEXT NOT NULL,
    "directiveId" TEXT NOT NULL,
    "assignmentId" TEXT NOT NULL,
    "unitCode" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "data" JSONB,

    CONSTRAINT "TimelineEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Escalation" (
    "id" TEXT NOT NULL,
    "directiveId" TEXT NOT NULL,
    "assignmentId" TEXT NOT NULL,
    "unitCode" TEXT NOT NULL,
    "obligation" TEXT NOT NULL,
    "rung" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "targetUnitCode" TEXT,
    "deadline" TIMESTAMP(3) NOT NULL,
    "firedAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "resolution" TEXT,

    CONSTRAINT "Escalation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Report" (
    "id" TEXT NOT NULL,
    "directiveId" TEXT NOT NULL,
    "assignmentId" TEXT NOT NULL,
    "unitCode" TEXT NOT NULL,
    "cycle" INTEGER NOT NULL,
    "summary" TEXT NOT NULL,
    "completion" DOUBLE PRECISION NOT NULL,
    "metrics" JSONB,
    "rollup" JSONB,
    "dueAt" TIMESTAMP(3),
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "onTime" BOOLEAN NOT NULL,

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExtensionRequest" (
    "id" TEXT NOT NULL,
    "directiveId" TEXT NOT NULL,
    "assignmentId" TEXT NOT NULL,
    "unitCode" TEXT NOT NULL,
    "obligation" TEXT NOT NULL,
    "currentDeadline" TIMESTAMP(3) NOT NULL,
    "requestedDeadline" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "decidedBy" TEXT,
    "decisionNote" TEXT,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "ExtensionRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "unitCode" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "label" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL,
    "directiveId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recipientUnit" TEXT,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "response" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "Unit_parentCode_idx" ON "Unit"("parentCode");

-- CreateIndex
CREATE INDEX "Unit_path_idx" ON "Unit"("path" text_pattern_ops);

-- CreateIndex
CREATE INDEX "Directive_rootId_idx" ON "Directive"("rootId");

-- CreateIndex
CREATE INDEX "Directive_parentId_idx" ON "Directive"("parentId");

-- CreateIndex
CREATE UNIQUE INDEX "Directive_issuerCode_number_key" ON "Directive"("issuerCode", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Task_directiveId_seq_key" ON "Task"("directiveId", "seq");

-- CreateIndex
CREATE INDEX "Assignment_directiveId_stage_idx" ON "Assignment"("directiveId", "stage");

-- CreateIndex
CREATE INDEX "Assignment_directiveId_level_idx" ON "Assignment"("directiveId", "level");

-- CreateIndex
CREATE INDEX "Assignment_directiveId_overdue_idx" ON "Assignment"("directiveId", "overdue");

-- CreateIndex
CREATE INDEX "Assignment_directiveId_parentUnitCode_idx" ON "Assignment"("directiveId", "parentUnitCode");

-- CreateIndex
CREATE INDEX "Assignment_unitCode_stage_idx" ON "Assignment"("unitCode", "stage");

-- CreateIndex
CREATE UNIQUE INDEX "Assignment_directiveId_unitCode_key" ON "Assignment"("directiveId", "unitCode");

-- CreateIndex
CREATE INDEX "TimelineEvent_assignmentId_at_idx" ON "TimelineEvent"("assignmentId", "at");

-- CreateIndex
CREATE INDEX "TimelineEvent_directiveId_at_idx" ON "TimelineEvent"("directiveId", "at");

-- CreateIndex
CREATE INDEX "Escalation_directiveId_firedAt_idx" ON "Escalation"("directiveId", "firedAt");

-- CreateIndex
CREATE INDEX "Escalation_assignmentId_idx" ON "Escalation"("assignmentId");

-- CreateIndex
CREATE INDEX "Report_directiveId_cycle_idx" ON "Report"("directiveId", "cycle");

-- CreateIndex
CREATE UNIQUE INDEX "Report_assignmentId_cycle_key" ON "Report"("assignmentId", "cycle");

-- CreateIndex
CREATE INDEX "ExtensionRequest_assignmentId_idx" ON "ExtensionRequest"("assignmentId");

-- CreateIndex
CREATE INDEX "ExtensionRequest_directiveId_idx" ON "ExtensionRequest"("directiveId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_unitCode_idx" ON "ApiToken"("unitCode");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "Unit" ADD CONSTRAINT "Unit_parentCode_fkey" FOREIGN KEY ("parentCode") REFERENCES "Unit"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_directiveId_fkey" FOREIGN KEY ("directiveId") REFERENCES "Directive"("id") ON DELETE CASCADE ON UPDATE CASCADE;

