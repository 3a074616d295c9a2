/**
 * A small HTTP client for the API under test. Network failures are answers too
 * (status 0), so a case can tell "the API was down" from "the API said no".
 */
import { sleep } from '../../../stack/wait';

/** Response bodies are read loosely: the cases look at a few fields of each. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export interface Answer<T = Loose> {
  status: number;
  body: T;
  /** The Retry-After header in seconds, when the API sent one. */
  retryAfterS?: number;
}

/** The client's own back-off when the API names no Retry-After: 250 ms doubling up to this. */
const MAX_BACKOFF_MS = 2000;

export interface CallOptions {
  token?: string;
  body?: unknown;
  idempotencyKey?: string;
  timeoutMs?: number;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly adminToken: string,
  ) {}

  async call<T = Loose>(method: string, path: string, opts: CallOptions = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { authorization: `Bearer ${opts.token ?? this.adminToken}` };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    try {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text
      }
      const retryAfter = Number(res.headers.get('retry-after') ?? NaN);
      return { status: res.status, body: body as T, ...(Number.isFinite(retryAfter) ? { retryAfterS: retryAfter } : {}) };
    } catch (err) {
      return { status: 0, body: { error: { code: 'NETWORK', message: err instanceof Error ? err.message : String(err) } } as T };
    }
  }

  /**
   * Calls until the answer is final: retries network failures, 5xx, 429 and the brief
   * "still being delivered" 409 after the answer's Retry-After, else with backoff (250 ms
   * doubling to 2 s), for up to `maxMs`. Returns the last answer,
   * how many attempts it took and the status of each.
   */
  async callUntilFinal<T = Loose>(
    method: string,
    path: string,
    opts: CallOptions & { maxMs?: number; retryIf?: (a: Answer) => boolean } = {},
  ): Promise<Answer<T> & { attempts: number; trail: string[] }> {
    const deadline = Date.now() + (opts.maxMs ?? 10 * 60_000);
    let delay = 250;
    const trail: string[] = [];
    for (let attempts = 1; ; attempts++) {
      const answer = await this.call<T>(method, path, opts);
      const code = (answer.body as { error?: { code?: string } } | null)?.error?.code;
      trail.push(answer.status === 409 && code ? `409 ${code}` : String(answer.status));
      if (!transient(answer) && !opts.retryIf?.(answer)) return { ...answer, attempts, trail };
      if (Date.now() > deadline) return { ...answer, attempts, trail };
      // As a well-behaved client does: wait as long as the API says, else back off.
      await sleep(answer.retryAfterS !== undefined ? Math.max(250, answer.retryAfterS * 1000) : delay);
      delay = Math.min(MAX_BACKOFF_MS, delay * 2);
    }
  }
}

/**
 * Answers worth retrying: the API, its database or Temporal was away, the workflow is not
 * there yet, or an earlier attempt with the same Idempotency-Key still holds its claim.
 */
export function transient(a: Answer): boolean {
  if (a.status === 0 || a.status >= 500 || a.status === 429) return true;
  const error = (a.body as { error?: { code?: string; message?: string } } | null)?.error;
  return a.status === 409 && (error?.code === 'IDEMPOTENCY_IN_PROGRESS' || /still being delivered/.test(String(error?.message ?? '')));
}

/** The error message of an answer, if any. */
export function errorMessage(a: Answer): string {
  const e = (a.body as { error?: { code?: string; message?: string } } | null)?.error;
  return e ? `${e.code}: ${e.message}` : '';
}
