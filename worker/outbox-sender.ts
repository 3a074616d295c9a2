/**
 * Drains the notification outbox to a webhook. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED`, so several workers never send the same row at once; a failed
 * delivery is retried with exponential backoff. Every delivery carries the row id in
 * `X-Cascade-Message-Id` (and in the body), so a receiver recognises a duplicate — which
 * can happen when the webhook answered but the process died before marking the row sent.
 */
import type { Db } from '../read-model/db';
import { log } from '../runtime/log';

export interface OutboxSenderOptions {
  db: Db;
  webhookUrl: string;
  pollMs: number;
  batchSize?: number;
  maxBackoffMs?: number;
  fetchImpl?: typeof fetch;
}

interface Claimed {
  id: string;
  payload: unknown;
  attempts: number;
}

export function backoffMs(attempts: number, maxMs: number): number {
  return Math.min(maxMs, 1000 * 2 ** Math.max(0, attempts - 1));
}

/** Sends one batch; returns how many rows it delivered. */
export async function drainOnce(opts: OutboxSenderOptions): Promise<number> {
  const { db, webhookUrl } = opts;
  const send = opts.fetchImpl ?? fetch;
  const maxBackoff = opts.maxBackoffMs ?? 5 * 60_000;
  let delivered = 0;
  await db.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<Claimed[]>`
        SELECT id, payload, attempts FROM "OutboxMessage"
         WHERE status = 'PENDING' AND "nextAttemptAt" <= now()
         ORDER BY "createdAt" LIMIT ${opts.batchSize ?? 50}
         FOR UPDATE SKIP LOCKED`;
      for (const row of rows) {
        let error: string | null = null;
        try {
          const res = await send(webhookUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-cascade-message-id': row.id },
            body: JSON.stringify(row.payload),
            signal: AbortSignal.timeout(10_000),
          });
          if (!res.ok) error = `HTTP ${res.status}`;
        } catch (err) {
          error = err instanceof Error ? err.message : String(err);
        }
        if (error === null) {
          delivered++;
          await tx.outboxMessage.update({
            where: { id: row.id },
            data: { status: 'DELIVERED', deliveredAt: new Date(), attempts: row.attempts + 1, lastError: null },
          });
        } else {
          const attempts = row.attempts + 1;
          await tx.outboxMessage.update({
            where: { id: row.id },
            data: { attempts, lastError: error, nextAttemptAt: new Date(Date.now() + backoffMs(attempts, maxBackoff)) },
          });
          log('warn', 'webhook delivery failed; will retry', { messageId: row.id, attempts, error });
        }
      }
    },
    { timeout: 60_000 },
  );
  return delivered;
}

/** Polls until stopped. */
export function startOutboxSender(opts: OutboxSenderOptions): { stop(): Promise<void> } {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      try {
        const sent = await drainOnce(opts);
        if (sent > 0) continue;
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
