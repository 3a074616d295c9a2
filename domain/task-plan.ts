/**
 * The parts units play in a document's tasks, with their due dates: the lead unit owes
 * the task by its due date (or every `recurrence` from the document's date, until the
 * cascade's `until`); each coordinating unit owes its contribution `coordinatorLeadTime`
 * earlier (default P2D), on the policy's calendar. Pure: the API plans the root
 * directive's tasks at issue time, the concretize activity a unit's plan's tasks.
 */
import type { CalendarName, TaskInput } from '../contract/definitions';
import type { TaskPartPlan } from '../contract/tasks';
import { addDuration, subtractDuration } from './calendar/calendar';
import { keys } from '../contract/ids';
import { plainMarkdown } from './plain-markdown';

/** Coordinators contribute this much before the lead's due date unless the policy says. */
export const DEFAULT_COORDINATOR_LEAD_TIME = 'P2D';
/** A recurring task without an end date is planned for one cycle; with one, at most this many. */
export const MAX_TASK_CYCLES = 24;

export interface TaskDocument {
  /** The document's id: its tasks are "<id>/task-<n>". */
  id: string;
  issuerCode: string;
  issuedAt: string;
  tasks: TaskInput[];
  /** "" for the root directive, "<UNIT>~" for a unit's implementing document. */
  refPrefix: string;
}

export interface TaskPolicy {
  calendar: CalendarName;
  coordinatorLeadTime?: string;
  /** The end of periodic reporting, when the cascade has one. */
  until?: string;
}

/** Every unit's part in every task that names a lead and a due date or recurrence. */
export function planTaskParts(doc: TaskDocument, policy: TaskPolicy): TaskPartPlan[] {
  return doc.tasks.flatMap((task, i) => {
    const lead = task.leadUnitCode;
    const dueDates = leadDueDates(task, doc.issuedAt, policy);
    if (!lead || dueDates.length === 0) return [];
    const common = {
      taskId: keys.task(doc.id, i + 1),
      taskRef: `${doc.refPrefix}t${i + 1}`,
      // Shown only by the Temporal UI (the part workflow's details), which renders Markdown.
      title: plainMarkdown(task.title),
      leadUnitCode: lead,
      assignerUnitCode: doc.issuerCode,
    };
    const earlier = policy.coordinatorLeadTime ?? DEFAULT_COORDINATOR_LEAD_TIME;
    const coordinators = [...new Set(task.coordinatingUnits ?? [])].filter((c) => c !== lead);
    return [
      { ...common, unitCode: lead, role: 'lead' as const, dueDates },
      ...coordinators.map((unitCode) => ({
        ...common,
        unitCode,
        role: 'coordinator' as const,
        dueDates: dueDates.map((d) => subtractDuration(new Date(d), earlier, policy.calendar).toISOString()),
      })),
    ];
  });
}

/**
 * How many parts (one workflow each) `planTaskParts` makes of these tasks: a task with a
 * lead and a due date or recurrence is one part for the lead and one per other coordinator.
 */
export function taskPartCount(tasks: TaskInput[]): number {
  return tasks.reduce((n, task) => {
    if (!task.leadUnitCode || (!task.dueAt && !task.recurrence)) return n;
    return n + 1 + new Set((task.coordinatingUnits ?? []).filter((c) => c !== task.leadUnitCode)).size;
  }, 0);
}

function leadDueDates(task: TaskInput, issuedAt: string, policy: TaskPolicy): string[] {
  if (task.dueAt) return [new Date(task.dueAt).toISOString()];
  if (!task.recurrence) return [];
  const until = policy.until ? Date.parse(policy.until) : undefined;
  const out: string[] = [];
  for (let k = 1; k <= MAX_TASK_CYCLES; k++) {
    let due = new Date(issuedAt);
    for (let j = 0; j < k; j++) due = addDuration(due, task.recurrence, policy.calendar);
    if (until !== undefined && due.getTime() > until) break;
    out.push(due.toISOString());
    if (until === undefined) break;
  }
  return out;
}
