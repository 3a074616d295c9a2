/**
 * Tasks of a document (nhiệm vụ) and the parts units play in them: the lead unit (chủ trì /
 * đầu mối) reports on the task, each coordinating unit (phối hợp) contributes to the lead
 * by an earlier deadline. Each part is one small workflow with its own deadline ladder.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CalendarName, EscalationStep } from './definitions';
import type { Actor } from './actor';

export const TASK_ROLES = ['lead', 'coordinator'] as const;
export type TaskRole = (typeof TASK_ROLES)[number];

/** One unit's part in one task, with its due dates (a coordinator's already earlier). */
export interface TaskPartPlan {
  /** The Task row: "<documentId>/task-<n>". */
  taskId: string;
  /** Short and readable, for URLs: "t1" on the root directive, "<UNIT>~t1" on a unit's plan. */
  taskRef: string;
  /** The task's title, Markdown-escaped (domain/plain-markdown.ts): the Temporal UI shows it. */
  title: string;
  unitCode: string;
  role: TaskRole;
  leadUnitCode: string;
  /** The unit that issued the task's document. */
  assignerUnitCode: string;
  /** One per cycle ("Quý I/2021" once, or "hằng năm" every year), ISO instants. */
  dueDates: string[];
}

export interface TaskPartWorkflowInput extends TaskPartPlan {
  directiveId: string;
  directiveNumber: string;
  issuerCode: string;
  escalation: EscalationStep[];
  calendar: CalendarName;
  /** The workflow to tell when this part closes. */
  temporalParentId: string;
}

export interface TaskReportInput {
  actorUnitCode: string;
  /** Who reported; absent in Updates recorded before actors existed. */
  by?: Actor;
  summary: string;
  completion: number;
}

export interface TaskPartView {
  taskRef: string;
  unitCode: string;
  role: TaskRole;
  /** The cycle owed now (1-based), or null when every cycle is done or the part closed. */
  cycle: number | null;
  deadline: string | null;
  /** When its ladder sends the next reminder (null when none is planned). */
  nextReminderAt: string | null;
  overdue: boolean;
  reported: number[];
  closed: boolean;
}

export const taskReportUpdate = defineUpdate<TaskPartView, [TaskReportInput]>('reportTask');
export const taskPartQuery = defineQuery<TaskPartView>('taskPart');

/** The obligation key of a part's cycle, e.g. "task:t1:lead#1". */
export const taskObligationKey = (taskRef: string, role: TaskRole, cycle: number) => `task:${taskRef}:${role}#${cycle}`;
