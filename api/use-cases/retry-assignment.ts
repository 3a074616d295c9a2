/**
 * An admin retries an assignment the engine could not carry on (stage FAILED). Its last
 * run's input is read back from Temporal (so a run that had continued-as-new resumes its
 * carried state) and a new run starts under the same workflow id, one attempt higher:
 * its events take fresh sequence numbers, so nothing an earlier attempt wrote is skipped
 * or overwritten out of order.
 */
import type { Client } from '@temporalio/client';
import { WorkflowIdReusePolicy, WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { Stage } from '../../contract/definitions';
import { workflowIds } from '../../contract/ids';
import { WORKFLOW_TASK_TIMEOUT } from '../../contract/timeouts';
import type { AssignmentWorkflowInput } from '../../contract/workflow-inputs';
import type { assignmentWorkflow } from '../../workflows/assignment-workflow';
import type { Store } from '../../read-model/repositories';
import { ApiError } from '../errors';
import { requireAdmin } from '../permissions';
import type { Principal } from '../auth';
import { plainMarkdown } from '../../domain/plain-markdown';

export interface RetryResult {
  assignmentId: string;
  unitCode: string;
  attempt: number;
  status: 'RETRYING';
}

export async function retryAssignment(
  deps: { store: Pick<Store, 'assignments'>; client: Client },
  p: Principal,
  directiveId: string,
  unitCode: string,
): Promise<RetryResult> {
  requireAdmin(p);
  const row = await deps.store.assignments.find(directiveId, unitCode);
  if (!row) throw new ApiError(404, 'NOT_FOUND', `${unitCode} has no assignment in directive ${directiveId}`);
  if (row.stage !== Stage.FAILED) {
    throw new ApiError(409, 'CONFLICT', `only a FAILED assignment can be retried; this one is ${row.stage}`);
  }
  const workflowId = workflowIds.assignment(directiveId, unitCode);
  const handle = deps.client.workflow.getHandle(workflowId);
  let last: { input: AssignmentWorkflowInput; taskQueue: string; running: boolean };
  try {
    last = await lastRun(handle);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new ApiError(409, 'CONFLICT', `the workflow ${workflowId} is gone from Temporal (retention); it cannot be retried`);
    }
    throw err;
  }
  if (last.running) {
    throw new ApiError(
      409,
      'CONFLICT',
      'the failed assignment is still closing (it waits for the units below it); retry once its workflow has closed',
    );
  }
  const attempt = Math.max(last.input.attempt ?? 0, row.attempt) + 1;
  await deps.client.workflow.start<typeof assignmentWorkflow>('assignmentWorkflow', {
    workflowId,
    taskQueue: last.taskQueue,
    args: [{ ...last.input, attempt }],
    // A closed run (completed as FAILED, failed or terminated) may be followed by a new one.
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
    // The Temporal UI renders these as Markdown: numbers and reasons are shown as plain text.
    staticSummary: plainMarkdown(`${last.input.documentNumber} → ${unitCode} (retry ${attempt})`),
    staticDetails: plainMarkdown(
      `Directive ${last.input.directiveNumber}; unit ${unitCode}; retried by the admin after: ${row.failureReason ?? 'an incident'}`,
    ),
  });
  return { assignmentId: row.id, unitCode, attempt, status: 'RETRYING' };
}

/** The input and task queue of the workflow's latest run, and whether it still runs. */
async function lastRun(handle: ReturnType<Client['workflow']['getHandle']>) {
  const description = await handle.describe();
  const history = await handle.fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const payload = started?.input?.payloads?.[0];
  if (!payload) throw new Error(`no input in the history of ${handle.workflowId}`);
  return {
    input: defaultPayloadConverter.fromPayload<AssignmentWorkflowInput>(payload),
    taskQueue: description.taskQueue,
    running: description.status.name === 'RUNNING',
  };
}
