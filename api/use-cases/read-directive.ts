/** Reads of a cascade, answered from the read model only (never from Temporal). */
import type { Db } from '../../read-model/db';
import { computeRollup } from '../../read-model/rollup';
import type { Rollup } from '../../contract/activities';
import { ApiError } from '../errors';
import type { Principal } from '../auth';
import { readScope, requireInSubtree, requireVisibleUnit } from '../permissions';
import { documentChain, findDirectiveWithTasks, findRootDirective, type DirectiveRow } from '../../read-model/directives';
import * as repo from '../../read-model/assignments';
import { obligationsOf, officialCounts, taskProgress } from '../../read-model/obligations';

/** The root directive `id`, or 404 (implementing documents are reached through their root). */
export async function rootDirective(db: Db, id: string): Promise<DirectiveRow> {
  const directive = await findRootDirective(db, id);
  if (!directive) throw new ApiError(404, 'NOT_FOUND', `directive ${id} not found`);
  return directive;
}

export async function getDirective(db: Db, p: Principal, id: string) {
  await readScope(db, p, await rootDirective(db, id));
  const [directive, progress, official, tasks] = await Promise.all([
    findDirectiveWithTasks(db, id),
    repo.progress(db, id),
    officialCounts(db, id),
    taskProgress(db, id),
  ]);
  return { ...directive!, progress: { ...progress, official, tasks } };
}

export async function listAssignments(
  db: Db,
  p: Principal,
  id: string,
  filter: Omit<repo.AssignmentFilter, 'unitCodes'>,
) {
  const scope = await readScope(db, p, await rootDirective(db, id));
  return repo.listAssignments(db, id, { ...filter, ...(scope.unitCodes ? { unitCodes: scope.unitCodes } : {}) });
}

export async function listEscalations(
  db: Db,
  p: Principal,
  id: string,
  filter: { status?: 'open' | 'resolved'; limit: number; offset: number },
) {
  const scope = await readScope(db, p, await rootDirective(db, id));
  return repo.listEscalations(db, id, { ...filter, ...(scope.unitCodes ? { unitCodes: scope.unitCodes } : {}) });
}

/** The report cycles of a cascade, as stored with its policy at issue time. */
function cyclesOf(policy: unknown): Array<{ cycle: number; dueAt: string }> {
  const cycles = (policy as { cycles?: unknown } | null)?.cycles;
  return Array.isArray(cycles) ? (cycles as Array<{ cycle: number; dueAt: string }>) : [];
}

/**
 * Children's rollups for these cycles, a few queries at a time: a cascade may have up to
 * 200 cycles, and one request must not take every connection of the pool.
 */
async function rollupsOf(db: Db, assignmentId: string, cycles: number[], atOnce = 4): Promise<Rollup[]> {
  const out: Rollup[] = [];
  for (let i = 0; i < cycles.length; i += atOnce) {
    out.push(...(await Promise.all(cycles.slice(i, i + atOnce).map((c) => computeRollup(db, assignmentId, c)))));
  }
  return out;
}

/** One assignment: its row, history, chain of documents from the root, children's rollups. */
export async function getAssignment(db: Db, p: Principal, id: string, unitCode: string) {
  const directive = await rootDirective(db, id);
  await readScope(db, p, directive);
  const target = await repo.unitPath(db, unitCode);
  // An unknown unit falls through to the 404 of its missing assignment.
  if (target !== null) requireInSubtree(p, unitCode, target);
  const row = await repo.findAssignment(db, id, unitCode);
  if (!row) throw new ApiError(404, 'NOT_FOUND', `${unitCode} has no assignment in directive ${id}`);
  const [history, documents, obligations] = await Promise.all([
    repo.assignmentHistory(db, row.id),
    documentChain(db, row.implementingDirectiveId ?? row.receivedDirectiveId),
    obligationsOf(db, [row.id]),
  ]);
  // Rollups for the cycles reported so far and the one owed next: not every future cycle.
  const cycles = cyclesOf(directive.policy).filter((c) => c.cycle <= row.reportCycle + 1);
  const childrenRollup: Rollup[] = row.isLeaf ? [] : await rollupsOf(db, row.id, cycles.map((c) => c.cycle));
  return { ...row, ...history, documents, childrenRollup, obligations };
}

export async function unitInbox(db: Db, p: Principal, unitCode: string, page: { limit: number; offset: number }) {
  requireVisibleUnit(p, unitCode, await repo.unitPath(db, unitCode));
  return repo.inbox(db, unitCode, page);
}
