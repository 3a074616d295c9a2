/** Reads of a cascade, answered from the read model only (never from Temporal). */
import type { Rollup } from '../../contract/activities';
import { ApiError } from '../errors';
import type { Principal } from '../auth';
import { cannotRead, onBranch, readScope, requireInSubtree, requireVisibleUnit } from '../permissions';
import type { AssignmentFilter, EscalationFilter } from '../../read-model/assignments';
import type { DirectiveRow } from '../../read-model/directives';
import type { Store } from '../../read-model/repositories';
import { isImplementingId } from '../../contract/ids';

/** What the reads of a cascade use. */
export type ReadStore = Pick<Store, 'directives' | 'assignments' | 'obligations' | 'units'>;

/** The root directive `id`, or 404 (implementing documents are reached through their root). */
export async function rootDirective(store: Pick<Store, 'directives'>, id: string): Promise<DirectiveRow> {
  const directive = await store.directives.findRoot(id);
  if (!directive) throw new ApiError(404, 'NOT_FOUND', `no cascade ${id} (an implementing document's cascade is its rootId)`);
  return directive;
}

/**
 * A cascade with its progress, or an implementing document with its chain. A unit that
 * reads the cascade only for its own assignment sees the progress of its own subtree, and
 * only the implementing documents on its branch (those it received and those below it); an
 * implementing document off its branch answers the 403 of a document that does not exist.
 */
export async function getDirective(store: ReadStore, p: Principal, id: string) {
  // An implementing document: itself, its tasks and its chain; progress is its cascade's (rootId).
  const document = await store.directives.withTasks(id);
  if (document && document.rootId !== document.id) {
    const scope = await readScope(store, p, await rootDirective(store, document.rootId));
    if (scope.unitCodes && !onBranch(p, await store.units.pathOf(document.issuerCode))) throw cannotRead(p, id);
    return { ...document, documents: await store.directives.chain(id) };
  }
  // `<cascade>~<unit>` names a unit's implementing document: whether one exists is the unit's business.
  if (!document && isImplementingId(id) && p.kind === 'unit') throw cannotRead(p, id);
  const scope = await readScope(store, p, await rootDirective(store, id));
  const [directive, progress, official, tasks] = await Promise.all([
    store.directives.withTasks(id),
    store.assignments.progress(id, scope.unitCodes),
    store.obligations.officialCounts(id, scope.unitCodes),
    store.obligations.taskProgress(id, scope.unitCodes),
  ]);
  return { ...directive!, progress: { ...progress, official, tasks } };
}

export async function listAssignments(
  store: ReadStore,
  p: Principal,
  id: string,
  filter: Omit<AssignmentFilter, 'unitCodes'>,
) {
  const scope = await readScope(store, p, await rootDirective(store, id));
  return store.assignments.list(id, { ...filter, ...(scope.unitCodes ? { unitCodes: scope.unitCodes } : {}) });
}

export async function listEscalations(
  store: ReadStore,
  p: Principal,
  id: string,
  filter: Omit<EscalationFilter, 'unitCodes'>,
) {
  const scope = await readScope(store, p, await rootDirective(store, id));
  return store.assignments.escalations(id, { ...filter, ...(scope.unitCodes ? { unitCodes: scope.unitCodes } : {}) });
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
async function rollupsOf(store: ReadStore, assignmentId: string, cycles: number[], atOnce = 4): Promise<Rollup[]> {
  const out: Rollup[] = [];
  for (let i = 0; i < cycles.length; i += atOnce) {
    out.push(...(await Promise.all(cycles.slice(i, i + atOnce).map((c) => store.assignments.rollup(assignmentId, c)))));
  }
  return out;
}

/** One assignment: its row, history, chain of documents from the root, children's rollups. */
export async function getAssignment(store: ReadStore, p: Principal, id: string, unitCode: string) {
  const directive = await rootDirective(store, id);
  await readScope(store, p, directive);
  const target = await store.units.pathOf(unitCode);
  // An unknown unit falls through to the 404 of its missing assignment.
  if (target !== null) requireInSubtree(p, unitCode, target);
  const row = await store.assignments.find(id, unitCode);
  if (!row) throw new ApiError(404, 'NOT_FOUND', `${unitCode} has no assignment in directive ${id}`);
  const [history, documents, obligations] = await Promise.all([
    store.assignments.history(row.id),
    store.directives.chain(row.implementingDirectiveId ?? row.receivedDirectiveId),
    store.obligations.of([row.id]),
  ]);
  // Rollups for the cycles reported so far and the one owed next: not every future cycle.
  const cycles = cyclesOf(directive.policy).filter((c) => c.cycle <= row.reportCycle + 1);
  const childrenRollup: Rollup[] = row.isLeaf ? [] : await rollupsOf(store, row.id, cycles.map((c) => c.cycle));
  return { ...row, ...history, documents, childrenRollup, obligations };
}

export async function unitInbox(
  store: Pick<Store, 'units' | 'assignments'>,
  p: Principal,
  unitCode: string,
  page: { limit: number; offset: number },
) {
  requireVisibleUnit(p, unitCode, await store.units.pathOf(unitCode));
  return store.assignments.inbox(unitCode, page);
}
