/**
 * Every authorization rule of the API. The admin may do anything. A unit token acts only
 * as its own unit, and only in the roles it holds there (api/roles.ts), sees only its own
 * subtree, and issues, amends and revokes only its own directives; a cascade is readable to
 * a unit that issued it, to one above its issuer, and (limited to the unit's own subtree) to
 * a unit with an assignment in it.
 */
import type { DirectiveRow } from '../read-model/directives';
import type { Store } from '../read-model/repositories';
import type { Principal } from './auth';
import { ApiError } from './errors';
import { ACTION_ROLE, type Action } from './roles';

export function requireAdmin(p: Principal): void {
  if (p.kind !== 'admin') throw new ApiError(403, 'FORBIDDEN', 'only the admin may do this');
}

/** 403 unless the caller holds the role `action` asks for (the admin holds every one). */
export function requireRole(p: Principal, action: Action): void {
  const role = ACTION_ROLE[action];
  if (p.kind === 'admin' || p.roles.includes(role)) return;
  throw new ApiError(403, 'FORBIDDEN', `${action} needs the ${role} role in ${p.unitCode}; this caller holds ${p.roles.join(', ')}`);
}

/** Only the issuer's leader (its own token) or the admin issues, amends and revokes. */
export function requireIssuer(p: Principal, issuerCode: string): void {
  if (p.kind === 'unit' && p.unitCode !== issuerCode) {
    throw new ApiError(403, 'FORBIDDEN', `only ${issuerCode}, the issuer, may do this`);
  }
  requireRole(p, 'issue');
}

/**
 * The unit a caller acts as for `unitCode` in `action`: the admin acts for anyone, a unit
 * only for itself and only in a role it holds.
 */
export function actorFor(p: Principal, unitCode: string, action: Action): string {
  if (p.kind === 'unit' && p.unitCode !== unitCode) {
    throw new ApiError(403, 'FORBIDDEN', `a token of ${p.unitCode} cannot act for ${unitCode}`);
  }
  requireRole(p, action);
  return unitCode;
}

/** Whether a unit (by its path) lies in the caller's subtree (itself included). */
function canSee(p: Principal, unitPath: string): boolean {
  return p.kind === 'admin' || unitPath.startsWith(p.unitPath);
}

/** 403 unless the unit (by its path) lies in the caller's subtree. */
export function requireInSubtree(p: Principal, unitCode: string, path: string): void {
  if (!canSee(p, path)) throw new ApiError(403, 'FORBIDDEN', `${unitCode} is outside the caller's subtree`);
}

/**
 * A unit looked up by code (`path` null when it does not exist): the admin learns that it
 * does not exist (404); a unit token gets the same 403 for an unknown unit as for one
 * outside its subtree, so that it cannot probe which codes exist.
 */
export function requireVisibleUnit(p: Principal, unitCode: string, path: string | null): void {
  if (path === null) {
    if (p.kind !== 'admin') throw new ApiError(403, 'FORBIDDEN', `${unitCode} is outside the caller's subtree`);
    throw new ApiError(404, 'NOT_FOUND', `unit ${unitCode} not found`);
  }
  requireInSubtree(p, unitCode, path);
}

/** Whether a caller may see what the unit at `unitPath` issued: its own branch, up and down. */
export function onBranch(p: Principal, unitPath: string | null): boolean {
  return p.kind === 'admin' || (unitPath !== null && (unitPath.startsWith(p.unitPath) || p.unitPath.startsWith(unitPath)));
}

/**
 * Which documents a caller may list (GET /directives): the admin every one; a unit what it
 * issued and what reached it (a cascade it has an assignment in, the document it received).
 */
export function directiveListScope(p: Principal): { visibleTo?: string } {
  return p.kind === 'admin' ? {} : { visibleTo: p.unitCode };
}

export interface DirectiveScope {
  /** Undefined: every assignment is visible; otherwise only these units'. */
  unitCodes?: string[];
}

/** What of the cascade of root `directive` the caller may read, or 403. */
export async function readScope(
  store: Pick<Store, 'units' | 'assignments'>,
  p: Principal,
  directive: DirectiveRow,
): Promise<DirectiveScope> {
  if (p.kind === 'admin') return {};
  const issuer = await store.units.pathOf(directive.issuerCode);
  if (issuer?.startsWith(p.unitPath)) return {};
  if (await store.assignments.exists(directive.id, p.unitCode)) return { unitCodes: await store.units.subtreeCodes(p.unitPath) };
  throw cannotRead(p, directive.id);
}

/** The one refusal of a read, whether the document exists or not. */
export function cannotRead(p: Principal, directiveId: string): ApiError {
  return new ApiError(403, 'FORBIDDEN', `${p.kind === 'unit' ? p.unitCode : 'the caller'} may not read directive ${directiveId}`);
}
