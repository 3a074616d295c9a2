/**
 * X-Request-Id (accepted when well-formed, else generated), a child logger bound to it for
 * everything the request does (runtime/log.ts `logger()`), and one log line per request
 * (pino-http). Only method, path (no query), status, duration and the caller's token id are
 * logged, with the trace id: never headers, bodies or tokens.
 */
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { pinoHttp } from 'pino-http';
import { followLevel, logger, withLogger } from '../../runtime/log';
import type { Principal } from '../auth';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : crypto.randomUUID();
}

/** What the request line says besides its request id. */
function summary(req: IncomingMessage, res: ServerResponse, ms: number): Record<string, unknown> {
  const { locals } = res as Response;
  const principal = locals?.principal as Principal | undefined;
  return {
    method: req.method,
    path: ((req as Request).originalUrl ?? req.url ?? '').split('?')[0],
    status: res.statusCode,
    ms,
    // The request's own trace (api/middleware/trace-request.ts): the response may finish
    // outside its context.
    ...(typeof locals?.traceId === 'string' ? { traceId: locals.traceId } : {}),
    ...(principal
      ? { caller: principal.kind === 'admin' ? 'admin' : `${principal.unitCode}:${principal.id}` }
      : {}),
  };
}

export function requestContext(): RequestHandler {
  const http = pinoHttp({
    logger: logger(),
    genReqId: requestIdOf,
    // req.log and res.log carry the request id alone, not the request (its headers).
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: () => 'http request',
    customErrorMessage: () => 'http request',
    customSuccessObject: (req, res, out: { responseTime: number }) =>
      summary(req, res, out.responseTime),
    customErrorObject: (req, res, _err, out: { responseTime: number }) =>
      summary(req, res, out.responseTime),
  });
  followLevel(http.logger);
  return (req, res, next) => {
    http(req, res, () => {
      const requestId = String(req.id);
      res.locals.requestId = requestId;
      res.set('X-Request-Id', requestId);
      withLogger(req.log, next);
    });
  };
}
