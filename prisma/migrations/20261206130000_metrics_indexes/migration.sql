-- Partial indexes for the business metrics the API serves on /metrics (read-model/business-metrics.ts):
-- each scrape counts only what is open (assignments, obligations, escalations, pending outbox
-- messages) by an index scan over those rows, never the whole history of every cascade.
-- Prisma's schema language cannot declare a partial index: they live here only, and each
-- query repeats its index's predicate word for word so that the planner can use it.

CREATE INDEX "Assignment_open_stage_level_idx" ON "Assignment"(stage, level, "directiveId")
  WHERE stage IN ('DELIVERED', 'ACKNOWLEDGED', 'CONCRETIZED', 'FORWARDED', 'REPORTED', 'FAILED');

CREATE INDEX "Obligation_open_deadline_idx" ON "Obligation"(deadline, kind, level)
  WHERE "doneAt" IS NULL AND "cancelledAt" IS NULL;

CREATE INDEX "Escalation_open_rung_idx" ON "Escalation"(rung)
  WHERE "resolvedAt" IS NULL;

CREATE INDEX "OutboxMessage_pending_createdAt_idx" ON "OutboxMessage"("createdAt", kind)
  WHERE status = 'PENDING';
