/**
 * Drains a leased queue (read-model/leased-queue.ts) at least once per row, for the webhook
 * and the e-mail senders alike:
 * 1. claim a batch under a lease, in one short statement, and commit;
 * 2. deliver each row outside any transaction, a few at a time, each within a timeout;
 * 3. mark each one done, failed with exponential back-off, or refused for good, in its own
 *    statement.
 * A slow or failing receiver therefore delays only its own rows: what was delivered is marked
 * at once and never sent again, and a failed row is retried only after its back-off (or, if
 * the sender died, after its lease). Several senders share a table safely.
 */
import type { Db } from '../read-model/db';
import type { Claim, LeasedQueue } from '../read-model/leased-queue';
import { log } from '../runtime/log';

/** What one delivery attempt came to. */
export type DeliveryOutcome =
  | { ok: true }
  /** Transient (receiver down, timeout, 4xx from SMTP): retried after a back-off. */
  | { ok: false; error: string; permanent?: false }
  /** Refused for good (SMTP 5xx, a bad address): recorded as FAILED, never retried. */
  | { ok: false; error: string; permanent: true };

export interface DrainOptions {
  /** Rows claimed at once (default 50). */
  batchSize?: number;
  /** Deliveries in flight at once per sender (default 8). */
  concurrency?: number;
  /** Time allowed for one delivery (default 10 s). */
  requestTimeoutMs?: number;
  /**
   * How long a claim keeps other senders off its rows (default: long enough to deliver the
   * whole batch at `concurrency`, plus 30 s). Must exceed `requestTimeoutMs`: a delivery is
   * started only while it can finish inside the lease, so no row is sent twice at once.
   */
  leaseMs?: number;
  /** First back-off after a failure, doubled per attempt (default 1 s) … */
  backoffBaseMs?: number;
  /** … up to this (default 5 min). */
  maxBackoffMs?: number;
}

export interface DrainSettings {
  batchSize: number;
  concurrency: number;
  requestTimeoutMs: number;
  leaseMs: number;
  backoffBaseMs: number;
  maxBackoffMs: number;
}

/** Back-off before attempt `attempts + 1`: base × 2^(attempts − 1), capped. */
export function backoffMs(attempts: number, maxMs: number, baseMs = 1000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

export function drainSettings(opts: DrainOptions, what: string): DrainSettings {
  const batchSize = opts.batchSize ?? 50;
  const concurrency = Math.max(1, Math.min(opts.concurrency ?? 8, batchSize));
  const requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
  const leaseMs = opts.leaseMs ?? requestTimeoutMs * Math.ceil(batchSize / concurrency) + 30_000;
  if (leaseMs <= requestTimeoutMs) {
    throw new RangeError(`${what} lease (${leaseMs} ms) must be longer than the delivery timeout (${requestTimeoutMs} ms)`);
  }
  return {
    batchSize,
    concurrency,
    requestTimeoutMs,
    leaseMs,
    backoffBaseMs: opts.backoffBaseMs ?? 1000,
    maxBackoffMs: opts.maxBackoffMs ?? 5 * 60_000,
  };
}

export interface BatchResult {
  claimed: number;
  delivered: number;
}

/** Claims one batch of `queue` and delivers it with `deliver`. */
export async function drainBatch<C extends Claim>(
  db: Db,
  queue: LeasedQueue<C>,
  s: DrainSettings,
  deliver: (claim: C) => Promise<DeliveryOutcome>,
  what: string,
): Promise<BatchResult> {
  const claimedAt = Date.now();
  const batch = await queue.claim(db, { limit: s.batchSize, leaseMs: s.leaseMs });
  // A delivery may start only if it ends (timeout included) before the lease does; the
  // margin covers marking it afterwards.
  const lastStart = claimedAt + s.leaseMs - s.requestTimeoutMs - Math.min(5_000, s.leaseMs / 10);
  let delivered = 0;
  let next = 0;
  const lane = async () => {
    while (next < batch.length) {
      const claim = batch[next++]!;
      if (Date.now() > lastStart) {
        await queue.release(db, claim);
        continue;
      }
      const outcome = await deliver(claim);
      if (outcome.ok) {
        await queue.markDone(db, claim.id);
        delivered++;
      } else if (outcome.permanent) {
        await queue.markRefused(db, claim, outcome.error);
        log('warn', `${what} refused for good`, { id: claim.id, error: outcome.error });
      } else {
        const wait = backoffMs(claim.attempts, s.maxBackoffMs, s.backoffBaseMs);
        await queue.markFailed(db, claim, outcome.error, wait);
        log('warn', `${what} failed; will retry`, { id: claim.id, attempts: claim.attempts, error: outcome.error, retryInMs: wait });
      }
    }
  };
  // Every lane finishes before the batch counts as done, even when one fails (the database
  // went away): a lane left running would deliver past the caller's next claim.
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(s.concurrency, batch.length) }, lane));
  const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
  if (failed) throw failed.reason;
  return { claimed: batch.length, delivered };
}

/**
 * Runs `round` until stopped: a round that delivered something or claimed a full batch is
 * followed at once by the next, otherwise the loop waits `pollMs`.
 */
export function startDrainLoop(
  round: () => Promise<BatchResult>,
  opts: { pollMs: number; batchSize: number; what: string },
): { stop(): Promise<void> } {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      try {
        const { claimed, delivered } = await round();
        if (delivered > 0 || claimed === opts.batchSize) continue;
      } catch (err) {
        log('error', `${opts.what} drain failed`, { error: err instanceof Error ? err.message : String(err) });
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, opts.pollMs);
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
