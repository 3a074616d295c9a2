/**
 * `Idempotency-Key` on mutating requests. The key is scoped to the caller
 * (`<token id or 'admin'>:<key>`); the first request claims it, and its successful (2xx)
 * answer is stored with a hash of method, path and body. The same key with the same
 * request replays that answer; with a different request it is a 422. A request that
 * failed releases the key, so the client may retry it. A key is remembered for
 * IDEMPOTENCY_TTL_HOURS, and one token holds at most IDEMPOTENCY_MAX_PER_TOKEN keys (the
 * oldest are dropped first), so no caller can fill the table.
 */
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Db } from '../../read-model/db';
import type { Config } from '../../runtime/config';
import { log } from '../../runtime/log';
import { ApiError } from '../errors';
import { principalOf } from '../auth';
import { claimKey, completeKey, findKey, reclaimStale, releaseKey, sweepExpiredKeys } from '../../read-model/idempotency';

/** What an Idempotency-Key may be: 1–200 visible ASCII characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const KEY = IDEMPOTENCY_KEY;
/** A claim older than this with no answer belongs to a request that died. */
const STALE_MS = 5 * 60_000;
/** How long an answer waits for its record to be stored before it leaves regardless. */
const SETTLE_WAIT_MS = 2_000;
/** How often an unsettled record is tried again while the database is away. */
const SETTLE_RETRY_MS = 1_000;
/** How often one API process deletes every owner's expired records. */
const SWEEP_MS = 10 * 60_000;

/** JSON with sorted object keys, so that key order does not change the hash. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Runs `settle` until it succeeds, every SETTLE_RETRY_MS, for at most `giveUpAfterMs` (after
 * which the claim is stale and reclaimed anyway). Resolves once the first attempt has
 * succeeded or failed, or after `firstAttemptMs`, whichever is first; the retries go on
 * behind it.
 */
export function settleEventually(settle: () => Promise<void>, opts: { giveUpAfterMs: number; firstAttemptMs: number; retryMs?: number }): Promise<void> {
  const giveUpAt = Date.now() + opts.giveUpAfterMs;
  let firstDone: () => void = () => undefined;
  const first = new Promise<void>((resolve) => (firstDone = resolve));
  const waitCap = setTimeout(() => firstDone(), opts.firstAttemptMs);
  void (async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        await settle();
        if (attempt > 1) log('info', 'idempotency record settled after the database came back', { attempts: attempt });
        return;
      } catch (err) {
        if (attempt === 1) log('warn', 'idempotency record not saved yet; retrying', { error: String(err) });
        if (Date.now() >= giveUpAt) {
          log('error', 'idempotency record not saved', { error: String(err), attempts: attempt });
          return;
        }
      } finally {
        if (attempt === 1) {
          clearTimeout(waitCap);
          firstDone();
        }
      }
      await new Promise((resolve) => setTimeout(resolve, opts.retryMs ?? SETTLE_RETRY_MS));
    }
  })();
  return first;
}

export function idempotency(
  db: Db,
  config: Pick<Config, 'IDEMPOTENCY_TTL_HOURS' | 'IDEMPOTENCY_MAX_PER_TOKEN'>,
): RequestHandler {
  let lastSweep = 0;
  const claim = (key: string, owner: string, requestHash: string, claimId: string) => {
    if (Date.now() - lastSweep > SWEEP_MS) {
      lastSweep = Date.now();
      sweepExpiredKeys(db).catch((err: unknown) => log('warn', 'idempotency sweep failed', { error: String(err) }));
    }
    const expiresAt = new Date(Date.now() + config.IDEMPOTENCY_TTL_HOURS * 3_600_000);
    return claimKey(db, { key, owner, requestHash, claimId, expiresAt, maxPerOwner: config.IDEMPOTENCY_MAX_PER_TOKEN });
  };
  /**
   * Runs a step that may store a claim. When it fails, the claim may have been stored anyway
   * (the insert done, the database gone before it answered, or the owner's trim after it
   * failing); the request is answered with an error, so its claim is released once the
   * database answers, or this key would answer the client's retries 409 until it turned stale.
   */
  const claiming = async (key: string, claimId: string, step: () => Promise<boolean>): Promise<boolean> => {
    try {
      return await step();
    } catch (err) {
      void settleEventually(() => releaseKey(db, key, claimId), { giveUpAfterMs: STALE_MS, firstAttemptMs: 0 });
      throw err;
    }
  };
  return async (req, res, next) => {
    const header = req.get('idempotency-key');
    if (header === undefined) return next();
    if (!KEY.test(header)) {
      throw new ApiError(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1–200 visible ASCII characters');
    }
    const owner = principalOf(res).id;
    const key = `${owner}:${header}`;
    const hash = crypto
      .createHash('sha256')
      .update(`${req.method} ${req.baseUrl}${req.path}\n${canonical(req.body ?? null)}`)
      .digest('hex');

    const claimId = crypto.randomUUID();
    if (!(await claiming(key, claimId, () => claim(key, owner, hash, claimId)))) {
      const row = await findKey(db, key);
      if (row && row.requestHash !== hash && row.status !== 0) {
        throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request');
      }
      if (row && row.status !== 0) {
        res.set('Idempotent-Replayed', 'true');
        res.status(row.status).json(row.response);
        return;
      }
      const stale = new Date(Date.now() - STALE_MS);
      if (row && !(await claiming(key, claimId, () => reclaimStale(db, key, hash, claimId, stale)))) {
        if (row.requestHash !== hash) {
          throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request');
        }
        throw new ApiError(409, 'IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key is still being processed');
      }
      // row vanished (released by a failed request) or reclaimed: fall through and claim again
      if (!row && !(await claiming(key, claimId, () => claim(key, owner, hash, claimId)))) {
        throw new ApiError(409, 'IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key is still being processed');
      }
    }

    // Store the answer before it leaves, so that a retry right after it sees the record.
    // When the database is away (the usual reason a request failed), the answer leaves
    // anyway and the record is settled once the database is back: an unsettled claim would
    // answer the client's retries 409 IDEMPOTENCY_IN_PROGRESS until it turns stale.
    const send = res.json.bind(res);
    res.json = ((body: unknown) => {
      const status = res.statusCode;
      const settle = () => (status >= 200 && status < 300 ? completeKey(db, key, status, body).then(() => undefined) : releaseKey(db, key, claimId));
      void settleEventually(settle, { giveUpAfterMs: STALE_MS, firstAttemptMs: SETTLE_WAIT_MS }).then(() => send(body));
      return res;
    }) as typeof res.json;
    next();
  };
}
