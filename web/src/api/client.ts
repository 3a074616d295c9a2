/**
 * The one way the dashboard talks to the API: same origin, `/api/v1`, as the person signed
 * in (the session cookie, and the session's CSRF token on every change) or with a bearer
 * token entered once (kept in sessionStorage: gone when the browser session ends). Errors
 * come back as ApiFailure with the API's `{ error: { code, message, details } }`.
 */

const TOKEN_KEY = 'cascade.token';
export const API_BASE = '/api/v1';

export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

/** The signed-in session's CSRF token (GET /auth/session), sent with every change. */
let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null): void => {
  csrfToken = token;
};
/** The header a change made with the session carries (none without a session). */
export const csrfHeader = (): Record<string, string> => (csrfToken ? { 'X-CSRF-Token': csrfToken } : {});

/** A Zod issue as the API reports it in `details`. */
export interface FieldIssue {
  path?: Array<string | number>;
  message?: string;
}

/** A request the API refused (status ≥ 400) or could not be made (status 0). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Seconds, from Retry-After (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** Called when the API answers 401: the token is gone or revoked. */
let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

/** A random key per user action, so a double click or a retried request acts once. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  /** Sent as Idempotency-Key (mutating requests). */
  idempotencyKey?: string;
  /** Use this token instead of the stored one (sign-in). */
  token?: string;
  signal?: AbortSignal;
}

export async function request<T>(path: string, opts: RequestOptions & { form?: FormData } = {}): Promise<T> {
  const token = opts.token ?? tokenStore.get();
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (opts.method && opts.method !== 'GET') Object.assign(headers, csrfHeader());
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}`, {
      method: opts.method ?? 'GET',
      headers,
      // A form (a file upload) sets its own multipart Content-Type with the boundary.
      body: opts.form ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
      // Polled reads revalidate (ETag → 304) instead of downloading the same answer again.
      cache: 'no-cache',
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiFailure(0, 'NETWORK', (err as Error).message);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: an HTML error page from a proxy, for example
  }
  if (!res.ok) {
    const error = (
      json as { error?: { code?: string; message?: string; details?: unknown } } | undefined
    )?.error;
    const retry = Number(res.headers.get('Retry-After'));
    const failure = new ApiFailure(
      res.status,
      error?.code ?? `HTTP_${res.status}`,
      error?.message ?? res.statusText,
      error?.details,
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
    if (res.status === 401 && !opts.token) onUnauthorized();
    throw failure;
  }
  return json as T;
}

export const qs = (
  params: Record<string, string | number | boolean | undefined | null>,
): string => {
  const entries = Object.entries(params).filter(
    ([, v]) => v !== undefined && v !== null && v !== '',
  );
  return entries.length
    ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`
    : '';
};

/**
 * Downloads a file the API answers (a workbook, a package): fetched with the bearer token,
 * which a plain link cannot carry, then saved through an object URL.
 */
export async function download(path: string, filename: string): Promise<void> {
  const token = tokenStore.get();
  const res = await fetch(`${API_BASE}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new ApiFailure(res.status, `HTTP_${res.status}`, res.statusText);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
