/**
 * What the business metrics count, read from the read model in five short statements. Each
 * one touches only open rows through a partial index (prisma/migrations/*_metrics_indexes):
 * the cost follows what is open now, not how many cascades have ever run. The predicates
 * repeat the indexes' word for word (literals, not parameters) so the planner can prove
 * that the index applies.
 */
import type { Db } from './db';

/** Open stages plus FAILED: the predicate of "Assignment_open_stage_level_idx". */
const OPEN_OR_FAILED = `stage IN ('DELIVERED', 'ACKNOWLEDGED', 'CONCRETIZED', 'FORWARDED', 'REPORTED', 'FAILED')`;
const UTC_NOW = "(now() AT TIME ZONE 'UTC')";

export interface BusinessCounts {
  /** Assignments not finished, by stage and unit level (FAILED ones included, stage FAILED). */
  assignments: Array<{ stage: string; level: string; n: number }>;
  /** Obligations past their deadline and neither done nor cancelled, by kind and level. */
  overdue: Array<{ kind: string; level: string; n: number }>;
  /** Escalation rungs fired and not resolved, by rung. */
  escalations: Array<{ rung: number; n: number }>;
  /** Outbox messages not delivered yet, by kind. */
  outboxPending: Array<{ kind: string; n: number }>;
  /** Pending messages whose last delivery attempt failed (they are retried with back-off). */
  outboxFailing: number;
  /** Seconds since the oldest pending message was queued; 0 when none is pending. */
  outboxOldestAgeSeconds: number;
  /** Root directives (cascades) ever issued, and those closed: revoked, or every assignment finished. */
  cascadesIssued: number;
  cascadesClosed: number;
  /** E-mail deliveries due (office hours reached) and not sent yet. */
  emailDue: number;
  /** Deliveries refused for good (5xx, a bad address): people who were not told. */
  emailFailed: number;
  /**
   * Seconds the oldest e-mail due has waited: a delivery since its office hours began, or an
   * outbox message not yet expanded into deliveries since it was written (0 when none).
   */
  emailOldestDueAgeSeconds: number;
}

export async function readBusinessCounts(db: Db): Promise<BusinessCounts> {
  const [assignments, overdue, escalations, outbox, cascades, email] = await Promise.all([
    db.$queryRawUnsafe<BusinessCounts['assignments']>(
      `SELECT stage, level, count(*)::int AS n FROM "Assignment" WHERE ${OPEN_OR_FAILED} GROUP BY stage, level`,
    ),
    db.$queryRawUnsafe<BusinessCounts['overdue']>(
      `SELECT kind, coalesce(level, '') AS level, count(*)::int AS n FROM "Obligation"
        WHERE "doneAt" IS NULL AND "cancelledAt" IS NULL AND deadline < ${UTC_NOW}
        GROUP BY kind, level`,
    ),
    db.$queryRawUnsafe<BusinessCounts['escalations']>(
      `SELECT rung, count(*)::int AS n FROM "Escalation" WHERE "resolvedAt" IS NULL GROUP BY rung`,
    ),
    db.$queryRawUnsafe<Array<{ kind: string; n: number; failing: number; oldest: number | null }>>(
      `SELECT kind, count(*)::int AS n, (count(*) FILTER (WHERE "lastError" IS NOT NULL))::int AS failing,
              extract(epoch FROM ${UTC_NOW} - min("createdAt"))::float8 AS oldest
         FROM "OutboxMessage" WHERE status = 'PENDING' GROUP BY kind`,
    ),
    // One probe per cascade into Assignment(directiveId, stage): cascades are few (one per
    // document the centre or a province issues), their assignments many.
    db.$queryRawUnsafe<Array<{ issued: number; closed: number }>>(
      `SELECT count(*)::int AS issued,
              (count(*) FILTER (WHERE d.status = 'REVOKED'
                 OR (EXISTS (SELECT 1 FROM "Assignment" a WHERE a."directiveId" = d.id)
                     AND NOT EXISTS (SELECT 1 FROM "Assignment" a WHERE a."directiveId" = d.id AND a.${OPEN_OR_FAILED}))))::int AS closed
         FROM "Directive" d WHERE d."parentId" IS NULL`,
    ),
    // Through EmailDelivery(status, nextAttemptAt) and OutboxMessage(mailExpandedAt, createdAt):
    // pending and failed deliveries, and unexpanded messages, are few.
    db.$queryRawUnsafe<Array<{ due: number; failed: number; oldest: number | null }>>(
      `SELECT (SELECT count(*) FROM "EmailDelivery" WHERE status = 'PENDING' AND "notBefore" <= ${UTC_NOW})::int AS due,
              (SELECT count(*) FROM "EmailDelivery" WHERE status = 'FAILED')::int AS failed,
              extract(epoch FROM ${UTC_NOW} - LEAST(
                (SELECT min(GREATEST("notBefore", "createdAt")) FROM "EmailDelivery" WHERE status = 'PENDING' AND "notBefore" <= ${UTC_NOW}),
                (SELECT min("createdAt") FROM "OutboxMessage" WHERE "mailExpandedAt" IS NULL)))::float8 AS oldest`,
    ),
  ]);
  return {
    assignments,
    overdue,
    escalations: escalations.map((e) => ({ rung: Number(e.rung), n: e.n })),
    outboxPending: outbox.map(({ kind, n }) => ({ kind, n })),
    outboxFailing: outbox.reduce((sum, o) => sum + o.failing, 0),
    outboxOldestAgeSeconds: Math.max(0, ...outbox.map((o) => o.oldest ?? 0)),
    cascadesIssued: cascades[0]?.issued ?? 0,
    cascadesClosed: cascades[0]?.closed ?? 0,
    emailDue: email[0]?.due ?? 0,
    emailFailed: email[0]?.failed ?? 0,
    emailOldestDueAgeSeconds: Math.max(0, email[0]?.oldest ?? 0),
  };
}
