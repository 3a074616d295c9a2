/**
 * Amend and revoke a cascade (issuer only). The read model changes and the signal to the
 * cascade's root workflow happen in one database transaction: if Temporal refuses the
 * signal (the cascade has already closed), nothing is written.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Db } from '../../read-model/db';
import { amendSignal, ids, revokeSignal } from '../../contract/definitions';
import { ApiError } from '../errors';
import type { Principal } from '../auth';
import { bumpVersion, markRevoked } from '../../read-model/directives';
import type { AmendmentInput, RevokeInput } from '../schemas';
import { requireIssuer, rootDirective } from './access';

export interface LifecycleDeps {
  db: Db;
  client: Client;
}

function closedCascade(err: unknown): never {
  if (err instanceof WorkflowNotFoundError) throw new ApiError(409, 'CONFLICT', 'the cascade has already closed');
  throw err;
}

export async function amendDirective(deps: LifecycleDeps, p: Principal, id: string, input: AmendmentInput) {
  const directive = await rootDirective(deps.db, id);
  requireIssuer(p, directive.issuerCode);
  if (directive.status !== 'ACTIVE') throw new ApiError(409, 'CONFLICT', `the directive is ${directive.status}`);
  const version = await deps.db.$transaction(async (tx) => {
    const next = await bumpVersion(tx, id, {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.body !== undefined ? { body: input.body } : {}),
    });
    if (next === null) throw new ApiError(409, 'CONFLICT', 'the directive is no longer active');
    await deps.client.workflow
      .getHandle(ids.directive(id))
      .signal(amendSignal, { version: next, note: input.note })
      .catch(closedCascade);
    return next;
  });
  return { id, number: directive.number, status: 'ACTIVE', version };
}

export async function revokeDirective(deps: LifecycleDeps, p: Principal, id: string, input: RevokeInput) {
  const directive = await rootDirective(deps.db, id);
  requireIssuer(p, directive.issuerCode);
  if (directive.status === 'REVOKED') throw new ApiError(409, 'CONFLICT', 'the directive is already revoked');
  await deps.db.$transaction(async (tx) => {
    if (!(await markRevoked(tx, id))) throw new ApiError(409, 'CONFLICT', 'the directive is already revoked');
    await deps.client.workflow.getHandle(ids.directive(id)).signal(revokeSignal, { reason: input.reason }).catch(closedCascade);
  });
  return { id, number: directive.number, status: 'REVOKED', version: directive.version };
}
