/**
 * The actor of an action (contract/actor.ts) from the caller who took it: the person behind
 * a session when there is one, else the unit's token or the admin. The role is the one the
 * action asks for (api/roles.ts ACTION_ROLE), since the caller was allowed it by holding
 * that role; the admin acts as the admin, whatever the action.
 */
import { ACTOR_TEXT_MAX, actorSchema, type Actor } from '../contract/actor';
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
