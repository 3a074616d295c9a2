/**
 * The notification outbox as the webhook sender sees it: the leased-queue discipline
 * (read-model/leased-queue.ts) over the `OutboxMessage` table, whose rows carry the payload
 * posted to the webhook and end DELIVERED.
 */
import type { Db } from './db';
import { leasedQueue, type Claim } from './leased-queue';

/** A message claimed for one delivery attempt. */
export interface ClaimedMessage extends Claim {
  payload: unknown;
}

/** The outbox as a leased queue, for the webhook sender. */
export const outbox = leasedQueue<ClaimedMessage>({
  table: 'OutboxMessage',
  returning: ['payload'],
  doneStatus: 'DELIVERED',
  doneAtColumn: 'deliveredAt',
});

/** Claims up to `limit` due messages for `leaseMs` (see {@link leasedQueue}). */
export const claimOutboxBatch = (db: Db, opts: { limit: number; leaseMs: number }): Promise<ClaimedMessage[]> =>
  outbox.claim(db, opts);

/** Marks a message delivered. */
export const markDelivered = (db: Db, id: string): Promise<void> => outbox.markDone(db, id);

/** Records a failed attempt and when to try again (`backoffMs` from now). */
export const markFailed = (db: Db, claim: ClaimedMessage, error: string, backoffMs: number): Promise<void> =>
  outbox.markFailed(db, claim, error, backoffMs);

/** Gives a claimed message back unattempted. */
export const releaseClaim = (db: Db, claim: ClaimedMessage): Promise<void> => outbox.release(db, claim);
