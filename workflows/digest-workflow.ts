/**
 * The morning digest: started by the `daily-digest` schedule (api/digest-schedule.ts) every
 * morning, it writes each unit's digest to the outbox in one activity. On a day off the
 * activity writes nothing; a second run the same day (a manual trigger) adds nothing.
 * Visible in the Temporal UI under Schedules, with each morning's run and its result.
 */
import * as wf from '@temporalio/workflow';
import type { DigestResult } from '../contract/activities';
import { bulk } from './activity-proxies';

export interface DigestWorkflowInput {
  /** How many working days ahead "due soon" reaches. */
  dueSoonDays: number;
}

export async function digestWorkflow(input: DigestWorkflowInput): Promise<DigestResult> {
  const at = new Date(Date.now()).toISOString();
  const result = await bulk.enqueueDigests.executeWithOptions({ summary: 'write the morning digests' }, [
    { at, dueSoonDays: input.dueSoonDays },
  ]);
  wf.setCurrentDetails(
    result.workingDay ? `**${result.date}**: ${result.messages} digests written` : `**${result.date}**: a day off, no digest`,
  );
  return result;
}
