/** An error the API answers with `{ error: { code, message, details? } }` and its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** For a 503: seconds until a retry can succeed (api/retry-after.ts), sent as Retry-After. */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
