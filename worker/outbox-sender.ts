/**
 * Drains the notification outbox to a webhook, at least once per message, with the leased
 * discipline of worker/leased-drain.ts. Every delivery carries the row id in
 * `X-Cascade-Message-Id` (and in the body), so a receiver recognises the rare duplicate: the
 * webhook answered but the process died before marking the row delivered. A webhook never
 * refuses a message for good: every failure is retried with back-off.
 */
import type { Db } from '../read-model/db';
import { outbox, type ClaimedMessage } from '../read-model/outbox';
import {
  drainBatch,
  drainSettings,
  startDrainLoop,
  type DeliveryOutcome,
  type DrainOptions,
  type DrainSettings,
} from './leased-drain';

export { backoffMs } from './leased-drain';

export interface OutboxSenderOptions extends DrainOptions {
  db: Db;
  webhookUrl: string;
  /** Pause between polls when nothing was due. */
  pollMs: number;
  fetchImpl?: typeof fetch;
}

/** Posts one claimed message. */
async function post(opts: OutboxSenderOptions, s: DrainSettings, claim: ClaimedMessage): Promise<DeliveryOutcome> {
  const send = opts.fetchImpl ?? fetch;
  try {
    const res = await send(opts.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cascade-message-id': claim.id },
      body: JSON.stringify(claim.payload),
      signal: AbortSignal.timeout(s.requestTimeoutMs),
    });
    await res.body?.cancel().catch(() => undefined);
    return res.ok ? { ok: true } : { ok: false, error: `HTTP ${res.status}` };
  } catch (err) {
    // The abort is a DOMException, not always an Error in this runtime.
    const { name, message } = (err ?? {}) as { name?: string; message?: string };
    return { ok: false, error: name === 'TimeoutError' ? `timeout after ${s.requestTimeoutMs} ms` : (message ?? String(err)) };
  }
}

function round(opts: OutboxSenderOptions, s: DrainSettings) {
  return () => drainBatch(opts.db, outbox, s, (claim) => post(opts, s, claim), 'webhook delivery');
}

/** Claims and sends one batch; returns how many messages it delivered. */
export async function drainOnce(opts: OutboxSenderOptions): Promise<number> {
  return (await round(opts, drainSettings(opts, 'outbox'))()).delivered;
}

/** Polls until stopped; a full batch is followed at once by the next. */
export function startOutboxSender(opts: OutboxSenderOptions): { stop(): Promise<void> } {
  const s = drainSettings(opts, 'outbox');
  return startDrainLoop(round(opts, s), { pollMs: opts.pollMs, batchSize: s.batchSize, what: 'outbox' });
}
