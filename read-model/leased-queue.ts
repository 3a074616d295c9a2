/**
 * A table drained at least once under leases: the webhook's outbox and the e-mail deliveries
 * share this discipline. A sender claims a batch under a lease in one short statement, then
 * marks each row done, failed (retried after a back-off) or refused (for good), each in its
 * own statement. No transaction is ever held open while a receiver is called, so a slow
 * receiver delays only its own rows.
 *
 * Times are the database's (`now()` in UTC, the columns being `timestamp without time zone`),
 * so senders on several hosts agree on leases and back-off whatever their own clocks say.
 * A queue's table has `id`, `status` ('PENDING' while owed), `attempts`, `nextAttemptAt`
 * and `lastError` columns, plus the done status and time column it names.
 */
import type { Db } from './db';

/** A row claimed for one delivery attempt, with the columns the queue returns. */
export interface Claim {
  id: string;
  /** Attempts including this one: the claim's token for `markFailed` and `release`. */
  attempts: number;
}

/** The table of a queue and how a row is marked done. */
export interface QueueTable {
  /** The table's name (a constant of this codebase, never input). */
  table: 'OutboxMessage' | 'EmailDelivery';
  /** Columns returned with a claim, besides id and attempts. */
  returning: readonly string[];
  /** The status of a delivered row and the column that records when. */
  doneStatus: string;
  doneAtColumn: string;
}

const NOW = "now() AT TIME ZONE 'UTC'";
const quote = (column: string) => `m."${column}"`;

export interface LeasedQueue<C extends Claim> {
  /**
   * Claims up to `limit` pending rows that are due, oldest first, for `leaseMs`: their
   * `nextAttemptAt` moves to the end of the lease and `attempts` counts this attempt. Other
   * senders skip rows being claimed (`FOR UPDATE SKIP LOCKED`) and, once this statement
   * has committed, rows under lease (not due yet). A sender that dies after claiming leaves
   * its rows to be claimed again when the lease ends: nothing is lost.
   */
  claim(db: Db, opts: { limit: number; leaseMs: number }): Promise<C[]>;
  /** Marks a row delivered (whoever holds its lease now: it was delivered). */
  markDone(db: Db, id: string): Promise<void>;
  /**
   * Records a failed attempt and when to try again (`backoffMs` from now). Applies only while
   * the claim is still the latest (`attempts` unchanged), so a sender whose lease ran out
   * cannot push back a row another sender has claimed since.
   */
  markFailed(db: Db, claim: Claim, error: string, backoffMs: number): Promise<void>;
  /** Records that the receiver refused the row for good (status FAILED): never retried. */
  markRefused(db: Db, claim: Claim, error: string): Promise<void>;
  /** Gives a claimed row back unattempted (due at once, the attempt not counted). */
  release(db: Db, claim: Claim): Promise<void>;
}

export function leasedQueue<C extends Claim>(q: QueueTable): LeasedQueue<C> {
  const t = `"${q.table}"`;
  const returning = ['id', 'attempts', ...q.returning].map(quote).join(', ');
  return {
    claim: (db, opts) =>
      db.$queryRawUnsafe<C[]>(
        `UPDATE ${t} AS m
            SET attempts = m.attempts + 1,
                "nextAttemptAt" = ${NOW} + $2::float8 * interval '1 millisecond'
           FROM (SELECT id FROM ${t}
                  WHERE status = 'PENDING' AND "nextAttemptAt" <= ${NOW}
                  ORDER BY "createdAt", id
                  LIMIT $1
                  FOR UPDATE SKIP LOCKED) AS due
          WHERE m.id = due.id
      RETURNING ${returning}`,
        opts.limit,
        opts.leaseMs,
      ),
    async markDone(db, id) {
      await db.$executeRawUnsafe(
        `UPDATE ${t} SET status = $1, "${q.doneAtColumn}" = ${NOW}, "lastError" = NULL
          WHERE id = $2 AND status = 'PENDING'`,
        q.doneStatus,
        id,
      );
    },
    async markFailed(db, claim, error, backoffMs) {
      await db.$executeRawUnsafe(
        `UPDATE ${t}
            SET "lastError" = $1, "nextAttemptAt" = ${NOW} + $2::float8 * interval '1 millisecond'
          WHERE id = $3 AND status = 'PENDING' AND attempts = $4`,
        error.slice(0, 2000),
        backoffMs,
        claim.id,
        claim.attempts,
      );
    },
    async markRefused(db, claim, error) {
      await db.$executeRawUnsafe(
        `UPDATE ${t} SET status = 'FAILED', "lastError" = $1
          WHERE id = $2 AND status = 'PENDING' AND attempts = $3`,
        error.slice(0, 2000),
        claim.id,
        claim.attempts,
      );
    },
    async release(db, claim) {
      await db.$executeRawUnsafe(
        `UPDATE ${t} SET "nextAttemptAt" = ${NOW}, attempts = attempts - 1
          WHERE id = $1 AND status = 'PENDING' AND attempts = $2`,
        claim.id,
        claim.attempts,
      );
    },
  };
}
