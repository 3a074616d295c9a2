/**
 * Records refused requests (401, 403) in the audit trail, as the routes record accepted
 * changes: a token probing what it may not do, or calls without a valid token, leave a
 * trace the admin can read (GET /audit). Requests without a token are bounded by the
 * per-client rate limit, so this cannot be used to fill the table faster than that.
 */
import crypto from 'node:crypto';
import type { ErrorRequestHandler } from 'express';
import type { Db } from '../../read-model/db';
import { recordAudit } from '../../read-model/audit';
import { log } from '../../runtime/log';
import type { Principal } from '../auth';
import { auditedActor } from '../actor';
import { ApiError } from '../errors';

export function auditRefusals(db: Db): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (!(err instanceof ApiError) || (err.status !== 401 && err.status !== 403)) return next(err);
    const p = res.locals.principal as Principal | undefined;
    recordAudit(db, {
      id: crypto.randomUUID(),
      requestId: String(res.locals.requestId ?? ''),
      actor: p?.kind ?? 'anonymous',
      tokenId: p?.kind === 'unit' ? p.id : null,
      actorUnitCode: p?.kind === 'unit' ? p.unitCode : null,
      forUnitCode: p?.kind === 'unit' ? p.unitCode : null,
      method: req.method,
      // The path as asked (no route matched a 401 yet), bounded: it is the caller's text.
      route: req.originalUrl.split('?')[0]!.slice(0, 300),
      params: {},
      status: err.status,
      ...auditedActor(p, res),
    }).then(
      () => next(err),
      (failure: unknown) => {
        log('error', 'refusal not audited', { error: String(failure) });
        next(err);
      },
    );
  };
}
