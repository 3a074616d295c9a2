import type { TaskInput } from '../contract/definitions';
import { keys } from '../contract/ids';

/** A document's tasks as rows, with ids "<directiveId>/task-<n>" so re-creating them is stable. */
export function taskRows(directiveId: string, tasks: TaskInput[] = []) {
  return tasks.map((t, i) => ({
    id: keys.task(directiveId, i + 1),
    seq: i + 1,
    title: t.title,
    leadUnitCode: t.leadUnitCode ?? null,
    coordinatingUnits: t.coordinatingUnits ?? [],
    dueAt: t.dueAt ? new Date(t.dueAt) : null,
    recurrence: t.recurrence ?? null,
  }));
}
