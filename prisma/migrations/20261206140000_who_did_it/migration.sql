-- Who did it: the actor (contract/actor.ts: kind, id, name, role, position, unit) of every
-- report, extension request and decision, of a directive's issue, last amendment and
-- revocation, and of a draft, and the person and role of every audit event. All nullable: rows
-- recorded before actors existed have none. Timeline events carry theirs in `data.by`.

ALTER TABLE "Report" ADD COLUMN "by" JSONB;

ALTER TABLE "ExtensionRequest" ADD COLUMN "requestedBy" JSONB;
ALTER TABLE "ExtensionRequest" ADD COLUMN "decisionBy" JSONB;

ALTER TABLE "Directive" ADD COLUMN "issuedBy" JSONB;
ALTER TABLE "Directive" ADD COLUMN "amendedBy" JSONB;
ALTER TABLE "Directive" ADD COLUMN "revokedBy" JSONB;

ALTER TABLE "Draft" ADD COLUMN "drafter" JSONB;
ALTER TABLE "Draft" ADD COLUMN "issuer" JSONB;

-- Adding columns leaves the append-only trigger on "AuditEvent" as it is.
ALTER TABLE "AuditEvent" ADD COLUMN "personId" TEXT;
ALTER TABLE "AuditEvent" ADD COLUMN "personName" TEXT;
ALTER TABLE "AuditEvent" ADD COLUMN "role" TEXT;
