/**
 * X-Request-Id (accepted when well-formed, else generated) and one structured log line per
 * request. Only method, path (no query), status, duration and the caller's token id are
 * logged: never headers, bodies or tokens.
 */
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { log } from '../../runtime/log';
import type { Principal } from '../auth';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestContext(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && SAFE_ID.test(incoming) ? incoming : crypto.randomUUID();
    res.locals.requestId = requestId;
    res.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const principal = res.locals.principal as Principal | undefined;
      log(res.statusCode >= 500 ? 'error' : 'info', 'http request', {
        requestId,
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        ...(principal ? { caller: principal.kind === 'admin' ? 'admin' : `${principal.unitCode}:${principal.id}` } : {}),
      });
    });
    next();
  };
}
