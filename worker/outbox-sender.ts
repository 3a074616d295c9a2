/**
 * Drains the notification outbox to a webhook, at least once per message:
 * 1. claim a batch under a lease, in one short statement (read-model/outbox.ts), and commit;
 * 2. post each message outside any transaction, a few at a time, each with a timeout;
 * 3. mark each one delivered, or failed with exponential back-off, in its own statement.
 * A slow or failing webhook therefore delays only its own messages: what was delivered is
 * marked at once and never re-posted, and a failed message is re-posted only after its
 * back-off (or, if the sender died, after its lease). Several senders share the table safely
 * (`FOR UPDATE SKIP LOCKED` plus the lease). Every delivery carries the row id in
 * `X-Cascade-Message-Id` (and in the body), so a receiver recognises the rare duplicate: the
 * webhook answered but the process died before marking the row delivered.
 */
import type { Db } from '../read-model/db';
import { claimOutboxBatch, markDelivered, markFailed, releaseClaim, type ClaimedMessage } from '../read-model/outbox';
import { log } from '../runtime/log';

export interface OutboxSenderOptions {
  db: Db;
  webhookUrl: string;
  /** Pause between polls when nothing was due. */
  pollMs: number;
  /** Messages claimed at once (default 50). */
  batchSize?: number;
  /** Webhook calls in flight at once per sender (default 8). */
  concurrency?: number;
  /** Time allowed for one webhook call, response included (default 10 s). */
  requestTimeoutMs?: number;
  /**
   * How long a claim keeps other senders off its messages (default: long enough to post the
   * whole batch at `concurrency`, plus 30 s). Must exceed `requestTimeoutMs`: a call is
   * started only while it can finish inside the lease, so no message is posted twice at once.
   */
  leaseMs?: number;
  /** First back-off after a failure, doubled per attempt (default 1 s) … */
  backoffBaseMs?: number;
  /** … up to this (default 5 min). */
  maxBackoffMs?: number;
  fetchImpl?: typeof fetch;
}

/** Back-off before attempt `attempts + 1`: base × 2^(attempts − 1), capped. */
export function backoffMs(attempts: number, maxMs: number, baseMs = 1000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

interface Settings {
  batchSize: number;
  concurrency: number;
  requestTimeoutMs: number;
  leaseMs: number;
  backoffBaseMs: number;
  maxBackoffMs: number;
}

function settings(opts: OutboxSenderOptions): Settings {
  const batchSize = opts.batchSize ?? 50;
  const concurrency = Math.max(1, Math.min(opts.concurrency ?? 8, batchSize));
  const requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
  const leaseMs = opts.leaseMs ?? requestTimeoutMs * Math.ceil(batchSize / concurrency) + 30_000;
  if (leaseMs <= requestTimeoutMs) {
    throw new RangeError(`outbox lease (${leaseMs} ms) must be longer than the webhook timeout (${requestTimeoutMs} ms)`);
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

/** Claims one batch and delivers it; returns how many messages it claimed and delivered. */
async function drainBatch(opts: OutboxSenderOptions, s: Settings): Promise<{ claimed: number; delivered: number }> {
  const claimedAt = Date.now();
  const batch = await claimOutboxBatch(opts.db, { limit: s.batchSize, leaseMs: s.leaseMs });
  // A call may start only if it ends (timeout included) before the lease does; the margin
  // covers marking it afterwards.
  const lastStart = claimedAt + s.leaseMs - s.requestTimeoutMs - Math.min(5_000, s.leaseMs / 10);
  let delivered = 0;
  let next = 0;
  const lane = async () => {
    while (next < batch.length) {
      const claim = batch[next++]!;
      if (Date.now() > lastStart) {
        await releaseClaim(opts.db, claim);
        continue;
      }
      if (await deliverOne(opts, s, claim)) delivered++;
    }
  };
  // Every lane finishes before the batch counts as done, even when one fails (the database
  // went away): a lane left running would post past the caller's next claim.
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(s.concurrency, batch.length) }, lane));
  const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
  if (failed) throw failed.reason;
  return { claimed: batch.length, delivered };
}

/** Posts one claimed message and records the outcome; true when delivered. */
async function deliverOne(opts: OutboxSenderOptions, s: Settings, claim: ClaimedMessage): Promise<boolean> {
  const send = opts.fetchImpl ?? fetch;
  let error: string | null = null;
  try {
    const res = await send(opts.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cascade-message-id': claim.id },
      body: JSON.stringify(claim.payload),
      signal: AbortSignal.timeout(s.requestTimeoutMs),
    });
    await res.body?.cancel().catch(() => undefined);
    if (!res.ok) error = `HTTP ${res.status}`;
  } catch (err) {
    // The abort is a DOMException, not always an Error in this runtime.
    const { name, message } = (err ?? {}) as { name?: string; message?: string };
    error = name === 'TimeoutError' ? `timeout after ${s.requestTimeoutMs} ms` : (message ?? String(err));
  }
  if (error === null) {
    await markDelivered(opts.db, claim.id);
    return true;
  }
  const wait = backoffMs(claim.attempts, s.maxBackoffMs, s.backoffBaseMs);
  await markFailed(opts.db, claim, error, wait);
  log('warn', 'webhook delivery failed; will retry', { messageId: claim.id, attempts: claim.attempts, error, retryInMs: wait });
  return false;
}

/** Claims and sends one batch; returns how many messages it delivered. */
export async function drainOnce(opts: OutboxSenderOptions): Promise<number> {
  return (await drainBatch(opts, settings(opts))).delivered;
}

/** Polls until stopped; a full batch is followed at once by the next. */
export function startOutboxSender(opts: OutboxSenderOptions): { stop(): Promise<void> } {
  const s = settings(opts);
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      try {
        const { claimed, delivered } = await drainBatch(opts, s);
        if (delivered > 0 || claimed === s.batchSize) continue;
      } catch (err) {
        log('error', 'outbox drain failed', { error: err instanceof Error ? err.message : String(err) });
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
