/**
 * What the engine's timeouts cost a case, read from the workflows' histories: how many
 * workflow tasks timed out (each handed out again and replayed: the price of a short workflow
 * task timeout under load, and the wait after a worker was killed), and how many activity
 * attempts were retries (a short attempt timeout under load would show here as duplicate work).
 */
import { temporal } from '@temporalio/proto';
import type { FaultStack } from './stack';
import { pool } from './util';

const EventType = temporal.api.enums.v1.EventType;

export interface TimeoutCounts {
  workflows: number;
  workflowTaskTimeouts: number;
  /** Activity attempts beyond each activity's first (a retry after a failure or a timeout). */
  activityRetries: number;
  activityTimeouts: number;
}

export async function countTimeouts(stack: FaultStack, directiveId: string): Promise<TimeoutCounts> {
  const runs: Array<{ workflowId: string; runId: string }> = [];
  for await (const wf of stack.client.workflow.list({ query: `DirectiveId = "${directiveId}"` })) {
    runs.push({ workflowId: wf.workflowId, runId: wf.runId });
  }
  const counts = await pool(runs, 8, async ({ workflowId, runId }) => {
    const history = await stack.client.workflow.getHandle(workflowId, runId).fetchHistory();
    let wft = 0;
    let retries = 0;
    let activityTimeouts = 0;
    for (const e of history.events ?? []) {
      if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT) wft++;
      else if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT) activityTimeouts++;
      else if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) retries += Math.max(0, (e.activityTaskStartedEventAttributes?.attempt ?? 1) - 1);
    }
    return { wft, retries, activityTimeouts };
  });
  return {
    workflows: runs.length,
    workflowTaskTimeouts: counts.reduce((a, c) => a + c.wft, 0),
    activityRetries: counts.reduce((a, c) => a + c.retries, 0),
    activityTimeouts: counts.reduce((a, c) => a + c.activityTimeouts, 0),
  };
}
