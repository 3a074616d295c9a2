/**
 * A cascade's progress as an Excel workbook, read from the read model with the scope of the
 * directive reads (read-directive.ts): the issuer and the units above it see every unit; a
 * unit with an assignment sees its own subtree's rows (the counts are the cascade's, as
 * GET /directives/{id} shows them).
 */
import { progressWorkbook, type UnitProgressRow } from '../../documents/progress-workbook';
import type { AssignmentRow } from '../../read-model/assignments';
import type { ObligationState } from '../../read-model/obligations';
import type { Principal } from '../auth';
import { readScope } from '../permissions';
import { rootDirective, type ReadStore } from './read-directive';

const PAGE = 1000;

/** Worst first: the status a unit's row shows is the worst of its own obligations. */
const SEVERITY = ['OVERDUE', 'OPEN_WITHIN_DEADLINE', 'DONE_LATE', 'DONE_ON_TIME'];

function worst(states: ObligationState[]): string | null {
  const statuses = new Set(states.map((s) => s.status));
  return SEVERITY.find((s) => statuses.has(s as ObligationState['status'])) ?? null;
}

async function allAssignments(store: ReadStore, id: string, unitCodes: string[] | undefined): Promise<AssignmentRow[]> {
  const out: AssignmentRow[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.assignments.list(id, { limit: PAGE, offset, ...(unitCodes ? { unitCodes } : {}) });
    out.push(...page.items);
    if (out.length >= page.total || page.items.length === 0) return out;
  }
}

export async function exportProgressWorkbook(store: ReadStore, p: Principal, id: string): Promise<{ data: Buffer; filename: string }> {
  const directive = await rootDirective(store, id);
  const scope = await readScope(store, p, directive);
  const [official, tasks, assignments] = await Promise.all([
    store.obligations.officialCounts(id),
    store.obligations.taskProgress(id),
    allAssignments(store, id, scope.unitCodes),
  ]);
  const codes = assignments.map((a) => a.unitCode);
  const visible = scope.unitCodes ? new Set(scope.unitCodes) : undefined;
  const [named, obligations] = await Promise.all([
    store.units.named([...new Set([...codes, ...Object.keys(official.byProvince)])]),
    // Chunks keep each query's parameter list bounded on a national cascade.
    Promise.all(Array.from({ length: Math.ceil(assignments.length / PAGE) }, (_, i) => store.obligations.of(assignments.slice(i * PAGE, (i + 1) * PAGE).map((a) => a.id)))),
  ]);
  const names = Object.fromEntries(named.map((u) => [u.code, u.name]));
  const byOwner = new Map<string, ObligationState[]>();
  for (const o of obligations.flat()) if (!o.taskId) byOwner.set(o.ownerId, [...(byOwner.get(o.ownerId) ?? []), o]);
  const units: UnitProgressRow[] = assignments.map((a) => ({
    unitCode: a.unitCode,
    unitName: names[a.unitCode] ?? a.unitCode,
    level: a.level,
    parentUnitCode: a.parentUnitCode,
    stage: a.stage,
    officialStatus: worst(byOwner.get(a.id) ?? []),
    deliveredAt: a.deliveredAt,
    acknowledgedAt: a.acknowledgedAt,
    concretizedAt: a.concretizedAt,
    reportedAt: a.reportedAt,
    completedAt: a.completedAt,
    nextDeadline: a.nextDeadline,
    overdue: a.overdue,
    escalationRung: a.escalationRung,
  }));
  const taskParts = tasks.flatMap((t) =>
    t.parts
      .filter((part) => !visible || visible.has(part.unitCode))
      .map((part) => ({ taskRef: t.taskRef, title: t.title, unitCode: part.unitCode, role: part.role, deadline: part.deadline, doneAt: part.doneAt, status: part.status })),
  );
  const data = await progressWorkbook({ directive, official, units, taskParts, names });
  const safe = directive.number.replace(/[^\p{L}\p{N}._-]+/gu, '-');
  return { data, filename: `tien-do-${safe}.xlsx` };
}
