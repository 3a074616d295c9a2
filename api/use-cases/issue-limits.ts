/**
 * What a directive may ask of the engine, checked before anything is written. A unit
 * token may hold at most CASCADE_MAX_OPEN_PER_ISSUER open cascades and reach at most
 * CASCADE_MAX_REACH units and task parts with one directive (a larger one is the admin's
 * to issue: that is the admin approval). Every caller, the admin included, keeps deadlines
 * of at least CASCADE_MIN_DEADLINE (tasks' due dates and recurrences too) and escalation
 * rungs at least CASCADE_MIN_LADDER_STEP apart, so that no policy makes the engine chase
 * units every second, and at most CASCADE_MAX_TASK_PARTS task parts in one document. The
 * quotas are counted under the issuer's lock, in the transaction that writes the directive
 * (read-model/issuing.ts).
 */
import type { Config } from '../../runtime/config';
import type { QuotaCounts } from '../../read-model/issuing';
import { parseIsoDuration, type IsoDuration } from '../../domain/calendar/duration';
import { shortestDurationOf } from '../../domain/policy-presets';
import type { Principal } from '../auth';
import { ApiError } from '../errors';
import type { IssueDirectiveInput } from '../schemas';
import type { TaskInput } from '../../contract/definitions';
import { taskPartCount } from '../../domain/task-plan';

export type IssueLimitsConfig = Pick<
  Config,
  | 'CASCADE_MAX_OPEN_PER_ISSUER'
  | 'CASCADE_MAX_REACH'
  | 'CASCADE_MAX_TASK_PARTS'
  | 'CASCADE_MIN_DEADLINE'
  | 'CASCADE_MIN_LADDER_STEP'
>;

const DAY = 86_400_000;

/**
 * The shortest length a duration can have in plain time (a month at least 28 days, a year
 * 365): a policy is refused only when even that is below the minimum.
 */
function shortestMs(d: IsoDuration): number {
  return (
    (d.years * 365 + d.months * 28 + d.weeks * 7 + d.days) * DAY +
    ((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000
  );
}

// An acknowledgement preset ("decree-30") counts as the shortest deadline it can give.
const ms = (iso: string): number => shortestMs(parseIsoDuration(shortestDurationOf(iso)));

interface Problem {
  path: Array<string | number>;
  message: string;
}

/** The policy's durations against the configured minimums (the schema has checked their syntax). */
export function durationProblems(
  policy: IssueDirectiveInput['policy'],
  limits: IssueLimitsConfig,
): Problem[] {
  const problems: Problem[] = [];
  const minDeadline = ms(limits.CASCADE_MIN_DEADLINE);
  for (const field of ['ackWithin', 'concretizeWithin', 'reportEvery'] as const) {
    const value = policy[field];
    if (value !== undefined && ms(value) < minDeadline) {
      problems.push({
        path: ['policy', field],
        message: `must be at least ${limits.CASCADE_MIN_DEADLINE}`,
      });
    }
  }
  const minStep = ms(limits.CASCADE_MIN_LADDER_STEP);
  let previous: string | undefined;
  policy.escalation.forEach((step, i) => {
    if (step.every !== undefined && ms(step.every) < minStep) {
      problems.push({ path: ['policy', 'escalation', i, 'every'], message: `must be at least ${limits.CASCADE_MIN_LADDER_STEP}` });
    }
    if (step.after === undefined) return; // a reminder before the deadline, not a rung
    if (previous !== undefined && ms(step.after) - ms(previous) < minStep) {
      problems.push({
        path: ['policy', 'escalation', i, 'after'],
        message: `must be at least ${limits.CASCADE_MIN_LADDER_STEP} after the rung before it (${previous})`,
      });
    }
    previous = step.after;
  });
  return problems;
}

/** 400 INVALID_POLICY (details like the validation errors') when a duration is too short. */
export function refuseShortDurations(
  policy: IssueDirectiveInput['policy'],
  limits: IssueLimitsConfig,
): void {
  const problems = durationProblems(policy, limits);
  if (problems.length === 0) return;
  throw new ApiError(
    400,
    'INVALID_POLICY',
    problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; '),
    problems.map((p) => ({ code: 'too_short', ...p })),
  );
}

/**
 * What a document's tasks would cost: each due date at least CASCADE_MIN_DEADLINE from
 * `now`, each recurrence at least CASCADE_MIN_DEADLINE, and at most CASCADE_MAX_TASK_PARTS
 * parts in all (each part is a workflow with its own deadline ladder).
 */
export function taskProblems(tasks: TaskInput[], limits: IssueLimitsConfig, now: Date): Problem[] {
  const problems: Problem[] = [];
  const earliest = now.getTime() + ms(limits.CASCADE_MIN_DEADLINE);
  tasks.forEach((task, i) => {
    if (task.dueAt !== undefined && Date.parse(task.dueAt) < earliest) {
      problems.push({ path: ['tasks', i, 'dueAt'], message: `must be at least ${limits.CASCADE_MIN_DEADLINE} from now` });
    }
    if (task.recurrence !== undefined && ms(task.recurrence) < ms(limits.CASCADE_MIN_DEADLINE)) {
      problems.push({ path: ['tasks', i, 'recurrence'], message: `must be at least ${limits.CASCADE_MIN_DEADLINE}` });
    }
  });
  const parts = taskPartCount(tasks);
  if (parts > limits.CASCADE_MAX_TASK_PARTS) {
    problems.push({
      path: ['tasks'],
      message: `${parts} task parts (a lead and each coordinating unit per task), more than the ${limits.CASCADE_MAX_TASK_PARTS} one document may carry`,
    });
  }
  return problems;
}

/** 400 INVALID_TASKS (details like the validation errors') when the tasks cost too much. */
export function refuseCostlyTasks(tasks: TaskInput[], limits: IssueLimitsConfig, now = new Date()): void {
  const problems = taskProblems(tasks, limits, now);
  if (problems.length === 0) return;
  throw new ApiError(
    400,
    'INVALID_TASKS',
    problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; '),
    problems.map((p) => ({ code: 'too_costly', ...p })),
  );
}

/**
 * A unit token's implementing document: its recipients were counted when the cascade was
 * issued, its task parts are new workflows: 403 APPROVAL_REQUIRED past the reach.
 */
export function refusePlanBeyondReach(p: Principal, tasks: TaskInput[], limits: IssueLimitsConfig): void {
  if (p.kind === 'admin') return;
  const parts = taskPartCount(tasks);
  if (parts > limits.CASCADE_MAX_REACH) {
    throw new ApiError(
      403,
      'APPROVAL_REQUIRED',
      `this plan would start ${parts} task parts, more than the ${limits.CASCADE_MAX_REACH} a unit token may reach; the admin must issue it`,
    );
  }
}

/**
 * A unit token's quotas, given the recipients the directive resolved to and its task parts:
 * 409 QUOTA_EXCEEDED past the open-cascade quota, 403 APPROVAL_REQUIRED past the reach
 * (units reached and task parts, each a workflow). The admin passes both.
 */
export async function refuseBeyondQuotas(
  counts: QuotaCounts,
  p: Principal,
  issuerCode: string,
  recipients: string[],
  taskParts: number,
  limits: IssueLimitsConfig,
): Promise<void> {
  if (p.kind === 'admin') return;
  const open = await counts.openCascades(issuerCode);
  if (open >= limits.CASCADE_MAX_OPEN_PER_ISSUER) {
    throw new ApiError(
      409,
      'QUOTA_EXCEEDED',
      `${issuerCode} already has ${open} open cascades (at most ${limits.CASCADE_MAX_OPEN_PER_ISSUER}); revoke one or let it close first`,
    );
  }
  const reach = await counts.unitsReached(recipients);
  if (reach + taskParts > limits.CASCADE_MAX_REACH) {
    throw new ApiError(
      403,
      'APPROVAL_REQUIRED',
      `this directive would reach ${reach} units and ${taskParts} task parts, more than the ${limits.CASCADE_MAX_REACH} a unit token may reach; the admin must issue it`,
    );
  }
}
