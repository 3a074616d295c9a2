/**
 * A unit reports on its part in a task (as lead, on the task; as coordinating unit, its
 * contribution): an Update on the part's workflow, so the caller learns at once whether
 * it was accepted. 404 when the unit holds no part in that task; 409 with the reason when
 * the part refuses (already reported, revoked); 503 when the engine does not answer within
 * the Update deadline (api/use-cases/execute-update.ts).
 */
import type { Client } from '@temporalio/client';
import { keys, workflowIds } from '../../contract/ids';
import { taskReportUpdate, type TaskPartView } from '../../contract/tasks';
import type { Store } from '../../read-model/repositories';
import { ApiError } from '../errors';
import type { Principal } from '../auth';
import { actorFor } from '../permissions';
import { actorOf } from '../actor';
import type { TaskReportBody } from '../schemas';
import { executeUnitUpdate } from './execute-update';
import { rootDirective } from './read-directive';

export interface TaskReportDeps {
  store: Pick<Store, 'directives' | 'obligations'>;
  client: Client;
  /** How long a report waits for the part's workflow before answering 503. */
  updateTimeoutMs?: number;
}

export async function reportOnTask(
  deps: TaskReportDeps,
  p: Principal,
  directiveId: string,
  taskRef: string,
  unitCode: string,
  body: TaskReportBody,
): Promise<TaskPartView> {
  const actorUnitCode = actorFor(p, unitCode, 'reportOnTask');
  await rootDirective(deps.store, directiveId);
  if (!(await deps.store.obligations.hasTaskPart(directiveId, keys.taskPart(directiveId, taskRef, unitCode)))) {
    throw new ApiError(404, 'NOT_FOUND', `${unitCode} holds no part in task ${taskRef} of directive ${directiveId}`);
  }
  const outcome = await executeUnitUpdate(
    { client: deps.client, workflowId: workflowIds.taskPart(directiveId, taskRef, unitCode), timeoutMs: deps.updateTimeoutMs },
    taskReportUpdate,
    { actorUnitCode, by: actorOf(p, 'reportOnTask'), ...body },
  );
  if (outcome.accepted) return outcome.result;
  throw new ApiError(409, 'CONFLICT', outcome.closed ? `task ${taskRef} is closed for ${unitCode}` : outcome.reason);
}
