/**
 * The actor of an action (contract/actor.ts) from the caller who took it: the person behind
 * a session when there is one, else the unit's token or the admin. The role is the one the
 * action asks for (api/roles.ts ACTION_ROLE), since the caller was allowed it by holding
 * that role; the admin acts as the admin, whatever the action.
 */
import { ACTOR_TEXT_MAX, actorSchema, type Actor } from '../contract/actor';
import type { Response } from 'express';
import type { Principal } from './auth';
import { ACTION_ROLE, type Action } from './roles';

const bounded = (text: string): string => text.slice(0, ACTOR_TEXT_MAX);

/** How a token is named when it was issued without a label. */
export const tokenName = (tokenId: string): string => `token ${tokenId.slice(0, 8)}`;

export function actorOf(p: Principal, action: Action): Actor {
  const role = p.kind === 'admin' ? 'admin' : ACTION_ROLE[action];
  const unitCode = p.kind === 'unit' ? p.unitCode : null;
  const actor: Actor = p.person
    ? {
        kind: 'person',
        id: p.person.id,
        name: bounded(p.person.name),
        role,
        position: p.person.position === null ? null : bounded(p.person.position),
        unitCode,
      }
    : p.kind === 'admin'
      ? { kind: 'admin', id: 'admin', name: 'admin', role, unitCode }
      : { kind: 'token', id: p.id, name: bounded(p.label?.trim() || tokenName(p.id)), role, unitCode };
  // What enters a workflow's history is checked once, here, against the stored shape.
  return actorSchema.parse(actor);
}

/** Where a route that takes a unit action names it (route-registry.ts), for the audit trail. */
const AUDIT_ACTION = 'auditAction';

export function noteAction(res: Response, action: Action): void {
  res.locals[AUDIT_ACTION] = action;
}

/**
 * Who a request was made by, as the audit trail records it: the person behind it, and the
 * role it was made in: the admin's, or the role its route's action asks for when the caller
 * holds it. A request refused for want of that role, or one no action names, records none.
 */
export function auditedActor(
  p: Principal | undefined,
  res: Response,
): { personId: string | null; personName: string | null; role: string | null } {
  const action = res.locals[AUDIT_ACTION] as Action | undefined;
  const role = !p ? null : p.kind === 'admin' ? 'admin' : action && p.roles.includes(ACTION_ROLE[action]) ? ACTION_ROLE[action] : null;
  return { personId: p?.person?.id ?? null, personName: p?.person?.name ?? null, role };
}
