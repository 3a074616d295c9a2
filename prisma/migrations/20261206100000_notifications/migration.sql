-- Notifications to people: contacts, one e-mail delivery per message and contact, calendar feeds.

-- Messages enqueued before e-mail existed are not mailed: they are marked as expanded already.
ALTER TABLE "OutboxMessage" ADD COLUMN "mailExpandedAt" TIMESTAMP(3);
UPDATE "OutboxMessage" SET "mailExpandedAt" = "createdAt";
CREATE INDEX "OutboxMessage_mailExpandedAt_createdAt_idx" ON "OutboxMessage"("mailExpandedAt", "createdAt");

CREATE TABLE "Contact" (
    "id" TEXT NOT NULL,
    "unitCode" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'vi',
    "delivery" TEXT NOT NULL DEFAULT 'each',
    "personId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Contact_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Contact_unitCode_email_key" ON "Contact"("unitCode", "email");
CREATE INDEX "Contact_unitCode_idx" ON "Contact"("unitCode");

CREATE TABLE "EmailDelivery" (
    "id" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "contactId" TEXT,
    "unitCode" TEXT,
    "directiveId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "email" TEXT,
    "language" TEXT,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "firedAt" TIMESTAMP(3) NOT NULL,
    "notBefore" TIMESTAMP(3) NOT NULL,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    CONSTRAINT "EmailDelivery_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "EmailDelivery_messageId_contactId_key" ON "EmailDelivery"("messageId", "contactId");
CREATE INDEX "EmailDelivery_status_nextAttemptAt_idx" ON "EmailDelivery"("status", "nextAttemptAt");
CREATE INDEX "EmailDelivery_unitCode_createdAt_idx" ON "EmailDelivery"("unitCode", "createdAt");

CREATE TABLE "CalendarFeedKey" (
    "id" TEXT NOT NULL,
    "unitCode" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    CONSTRAINT "CalendarFeedKey_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "CalendarFeedKey_secretHash_key" ON "CalendarFeedKey"("secretHash");
CREATE INDEX "CalendarFeedKey_unitCode_idx" ON "CalendarFeedKey"("unitCode");
