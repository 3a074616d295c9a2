/**
 * Read access to a cascade. The admin sees everything; a unit sees a directive it issued,
 * one issued inside its subtree, or one it has an assignment in — and in the last case
 * only the assignments of its own subtree.
 */
import type { Db } from '../../read-model/db';
import { ApiError } from '../errors';
import type { Principal } from '../auth';
import { findRootDirective, type DirectiveRow } from '../../read-model/directives';
import { hasAssignment, subtreeCodes, unitPath } from '../../read-model/assignments';

export interface DirectiveScope {
  directive: DirectiveRow;
  /** Undefined: every assignment is visible; otherwise only these units'. */
  unitCodes?: string[];
}

/** The root directive `id`, or 404 (implementing documents are reached through their root). */
export async function rootDirective(db: Db, id: string): Promise<DirectiveRow> {
  const directive = await findRootDirective(db, id);
  if (!directive) throw new ApiError(404, 'NOT_FOUND', `directive ${id} not found`);
  return directive;
}

export async function readScope(db: Db, p: Principal, id: string): Promise<DirectiveScope> {
  const directive = await rootDirective(db, id);
  if (p.kind === 'admin') return { directive };
  const issuer = await unitPath(db, directive.issuerCode);
  if (issuer?.startsWith(p.unitPath)) return { directive };
  if (await hasAssignment(db, id, p.unitCode)) return { directive, unitCodes: await subtreeCodes(db, p.unitPath) };
  throw new ApiError(403, 'FORBIDDEN', `${p.unitCode} may not read directive ${id}`);
}

/** Only the issuer (its own token) or the admin issues, amends and revokes. */
export function requireIssuer(p: Principal, issuerCode: string): void {
  if (p.kind === 'admin' || p.unitCode === issuerCode) return;
  throw new ApiError(403, 'FORBIDDEN', `only ${issuerCode}, the issuer, may do this`);
}
