/**
 * The `daily-digest` Temporal schedule: every morning at DIGEST_AT (Vietnam time) it starts
 * the digest workflow (workflows/digest-workflow.ts), which writes nothing on a day off, so
 * a working Saturday gets its digest and a holiday does not. Created when the API starts, or
 * brought up to date when it exists; visible and triggerable in the Temporal UI's Schedules.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { digestWorkflow } from '../workflows/digest-workflow';
import type { Config } from '../runtime/config';

export const DIGEST_SCHEDULE_ID = 'daily-digest';

export interface DigestScheduleConfig {
  taskQueue: string;
  /** Local time in Vietnam, "HH:MM". */
  at: string;
  dueSoonDays: number;
}

export function digestScheduleOptions(config: DigestScheduleConfig): ScheduleOptions {
  const [hour, minute] = config.at.split(':').map(Number) as [number, number];
  return {
    scheduleId: DIGEST_SCHEDULE_ID,
    spec: { calendars: [{ hour, minute, dayOfWeek: '*' }], timezone: 'Asia/Ho_Chi_Minh' },
    action: {
      type: 'startWorkflow',
      workflowType: 'digestWorkflow' satisfies (typeof digestWorkflow)['name'],
      taskQueue: config.taskQueue,
      args: [{ dueSoonDays: config.dueSoonDays }],
      workflowId: 'daily-digest',
      staticSummary: 'Morning digest of what is overdue, due today and due soon, per unit',
    },
    // A morning missed while the cluster was down is sent if it comes back within the hour.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  };
}

/** The schedule's configuration from the process's. */
export function digestScheduleConfig(config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'DIGEST_AT' | 'DIGEST_DUE_SOON_DAYS'>): DigestScheduleConfig {
  return { taskQueue: config.TEMPORAL_TASK_QUEUE, at: config.DIGEST_AT, dueSoonDays: config.DIGEST_DUE_SOON_DAYS };
}

/** Creates the schedule, or updates the one there to this configuration. */
export async function ensureDigestSchedule(client: Client, config: DigestScheduleConfig): Promise<void> {
  const options = digestScheduleOptions(config);
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(DIGEST_SCHEDULE_ID).update((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action,
      policies: { ...previous.policies, ...options.policies },
    }));
  }
}
