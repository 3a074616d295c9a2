/**
 * Amend and revoke a cascade (issuer only). The read model changes and the signal to the
 * cascade's root workflow happen in one database transaction: if Temporal refuses the
 * signal (the cascade has already closed), nothing is written.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { amendSignal, revokeSignal } from '../../contract/definitions';
import { ApiError } from '../errors';
import type { Principal } from '../auth';
import { actorOf } from '../actor';
import type { Store } from '../../read-model/repositories';
import type { AmendmentInput, RevokeInput } from '../schemas';
import { requireIssuer } from '../permissions';
import { rootDirective } from './read-directive';
import { workflowIds } from '../../contract/ids';

export interface LifecycleDeps {
  store: Pick<Store, 'directives'>;
  client: Client;
}

function closedCascade(err: unknown): never {
  if (err instanceof WorkflowNotFoundError) throw new ApiError(409, 'CONFLICT', 'the cascade has already closed');
  throw err;
}

export async function amendDirective(deps: LifecycleDeps, p: Principal, id: string, input: AmendmentInput) {
  const directive = await rootDirective(deps.store, id);
  requireIssuer(p, directive.issuerCode);
  if (directive.status !== 'ACTIVE') throw new ApiError(409, 'CONFLICT', `the directive is ${directive.status}`);
  const by = actorOf(p, 'issue');
  const changes = {
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.body !== undefined ? { body: input.body } : {}),
    by,
  };
  const version = await deps.store.directives.amendActive(id, changes, (next) =>
    deps.client.workflow
      .getHandle(workflowIds.directive(id))
      .signal(amendSignal, { version: next, note: input.note, by })
      .catch(closedCascade),
  );
  if (version === null) throw new ApiError(409, 'CONFLICT', 'the directive is no longer active');
  return { id, number: directive.number, status: 'ACTIVE', version };
}

export async function revokeDirective(deps: LifecycleDeps, p: Principal, id: string, input: RevokeInput) {
  const directive = await rootDirective(deps.store, id);
  requireIssuer(p, directive.issuerCode);
  if (directive.status === 'REVOKED') throw new ApiError(409, 'CONFLICT', 'the directive is already revoked');
  const by = actorOf(p, 'issue');
  const revoked = await deps.store.directives.revokeActive(
    id,
    () => deps.client.workflow.getHandle(workflowIds.directive(id)).signal(revokeSignal, { reason: input.reason, by }).catch(closedCascade),
    by,
  );
  if (!revoked) throw new ApiError(409, 'CONFLICT', 'the directive is already revoked');
  return { id, number: directive.number, status: 'REVOKED', version: directive.version };
}
