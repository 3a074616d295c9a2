/**
 * The notification outbox as the sender sees it: claim a batch under a lease, then mark each
 * message delivered or failed, every step one short statement. No transaction is ever held
 * open while a webhook is called, so a slow receiver delays only its own message.
 *
 * Times are the database's (`now()` in UTC, the columns being `timestamp without time zone`),
 * so senders on several hosts agree on leases and back-off whatever their own clocks say.
 */
import type { Db } from './db';

/** A message claimed for one delivery attempt. */
export interface ClaimedMessage {
  id: string;
  payload: unknown;
  /** Attempts including this one: the claim's token for {@link markFailed} and {@link releaseClaim}. */
  attempts: number;
}

const NOW = "now() AT TIME ZONE 'UTC'";

/**
 * Claims up to `limit` pending messages that are due, oldest first, for `leaseMs`: their
 * `nextAttemptAt` moves to the end of the lease and `attempts` counts this attempt. Other
 * senders skip rows being claimed (`FOR UPDATE SKIP LOCKED`) and, once this statement has
 * committed, rows under lease (not due yet). A sender that dies after claiming leaves its
 * messages to be claimed again when the lease ends: nothing is lost.
 */
export async function claimOutboxBatch(
  db: Db,
  opts: { limit: number; leaseMs: number },
): Promise<ClaimedMessage[]> {
  return db.$queryRawUnsafe<ClaimedMessage[]>(
    `UPDATE "OutboxMessage" AS m
        SET attempts = m.attempts + 1,
            "nextAttemptAt" = ${NOW} + $2::float8 * interval '1 millisecond'
       FROM (SELECT id FROM "OutboxMessage"
              WHERE status = 'PENDING' AND "nextAttemptAt" <= ${NOW}
              ORDER BY "createdAt", id
              LIMIT $1
              FOR UPDATE SKIP LOCKED) AS due
      WHERE m.id = due.id
  RETURNING m.id, m.payload, m.attempts`,
    opts.limit,
    opts.leaseMs,
  );
}

/** Marks a message delivered (whoever holds its lease now: it was delivered). */
export async function markDelivered(db: Db, id: string): Promise<void> {
  await db.outboxMessage.updateMany({
    where: { id, status: 'PENDING' },
    data: { status: 'DELIVERED', deliveredAt: new Date(), lastError: null },
  });
}

/**
 * Records a failed attempt and when to try again (`backoffMs` from now). Applies only while
 * the claim is still the latest (`attempts` unchanged), so a sender whose lease ran out
 * cannot push back a message another sender has claimed since.
 */
export async function markFailed(
  db: Db,
  claim: ClaimedMessage,
  error: string,
  backoffMs: number,
): Promise<void> {
  await db.$executeRawUnsafe(
    `UPDATE "OutboxMessage"
        SET "lastError" = $1, "nextAttemptAt" = ${NOW} + $2::float8 * interval '1 millisecond'
      WHERE id = $3 AND status = 'PENDING' AND attempts = $4`,
    error.slice(0, 2000),
    backoffMs,
    claim.id,
    claim.attempts,
  );
}

/** Gives a claimed message back unattempted (due at once, the attempt not counted). */
export async function releaseClaim(db: Db, claim: ClaimedMessage): Promise<void> {
  await db.$executeRawUnsafe(
    `UPDATE "OutboxMessage" SET "nextAttemptAt" = ${NOW}, attempts = attempts - 1
      WHERE id = $1 AND status = 'PENDING' AND attempts = $2`,
    claim.id,
    claim.attempts,
  );
}
