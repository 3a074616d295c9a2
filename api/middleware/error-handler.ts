/**
 * The one place errors become HTTP answers: `{ error: { code, message, details? } }`.
 * Anything unexpected is a 500 with a fixed message; its stack goes to the log only.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { log } from '../../runtime/log';
import { UnitTreeError } from '../../domain/units/tree';
import { ApiError } from '../errors';
import { isDatabaseUnavailable } from '../../read-model/db';
import { RETRY_AFTER_S } from '../retry-after';

interface HttpError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
  /** body-parser: the raw body it could not accept. */
  body?: unknown;
}

/** Whether `raw` is JSON after all: body-parser's strict mode refuses a bare 0, "x" or null. */
function isJson(raw: unknown): boolean {
  if (typeof raw !== 'string') return false;
  try {
    JSON.parse(raw);
    return true;
  } catch {
    return false;
  }
}

/** Zod issues without the input values (which may be large or sensitive). */
function zodDetails(err: ZodError): Array<{ code: string; path: Array<string | number>; message: string }> {
  return err.issues.map((i) => ({
    code: i.code,
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
  }));
}

export const notFound: RequestHandler = (req) => {
  throw new ApiError(404, 'NOT_FOUND', `no route for ${req.method} ${req.path}`);
};

export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  const send = (status: number, code: string, message: string, details?: unknown) =>
    res.status(status).json({ error: { code, message, ...(details !== undefined ? { details } : {}) } });

  if (err instanceof ApiError) {
    // Every 503 is "retry later": say when it can succeed, unless a limiter already did.
    if (err.status === 503 && !res.get('Retry-After')) res.setHeader('Retry-After', String(err.retryAfterS ?? RETRY_AFTER_S.workflow));
    return send(err.status, err.code, err.message, err.details);
  }
  if (err instanceof ZodError) return send(400, 'VALIDATION_ERROR', 'invalid request', zodDetails(err));
  if (err instanceof UnitTreeError) return send(400, err.code, err.message, err.details.slice(0, 100));
  const http = err as HttpError;
  if (http && typeof http === 'object') {
    // body-parser errors
    if (http.type === 'entity.parse.failed') {
      // A JSON scalar is well-formed, only not what any route takes: say so as the schema would.
      if (isJson(http.body)) {
        return send(400, 'VALIDATION_ERROR', 'invalid request', [
          { code: 'invalid_type', path: ['body'], message: 'must be a JSON object' },
        ]);
      }
      return send(400, 'MALFORMED_JSON', 'the request body is not valid JSON');
    }
    if (http.type === 'entity.too.large') return send(413, 'PAYLOAD_TOO_LARGE', 'the request body is too large');
    if (http.type === 'encoding.unsupported' || http.type === 'charset.unsupported') {
      return send(415, 'UNSUPPORTED_MEDIA_TYPE', 'the body must be application/json in UTF-8');
    }
    // Other client errors with a status: body-parser's, the router's (a path that does not decode).
    const status = http.status ?? http.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return send(status, 'BAD_REQUEST', http.expose ? (http.message ?? 'bad request') : 'bad request');
    }
  }
  if (isDatabaseUnavailable(err)) {
    // The database is down or restarting: the caller's request was fine, retrying will work.
    log('warn', 'database unavailable', { error: err instanceof Error ? err.message : String(err) });
    res.setHeader('Retry-After', String(RETRY_AFTER_S.database));
    return send(503, 'DATABASE_UNAVAILABLE', 'the database is not answering; the system is recovering, retry later');
  }
  log('error', 'unhandled error', {
    method: req.method,
    path: req.originalUrl.split('?')[0],
    error: err instanceof Error ? err.message : String(err),
    stack: err instanceof Error ? err.stack : undefined,
  });
  return send(500, 'INTERNAL', 'internal error');
};
