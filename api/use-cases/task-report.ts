/**
 * A unit reports on its part in a task (as lead, on the task; as coordinating unit, its
 * contribution): an Update on the part's workflow, so the caller learns at once whether
 * it was accepted. 404 when the unit holds no part in that task; 409 with the reason when
 * the part refuses (already reported, revoked).
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { keys, workflowIds } from '../../contract/ids';
import { taskReportUpdate, type TaskPartView } from '../../contract/tasks';
import type { Db } from '../../read-model/db';
import { hasTaskPart } from '../../read-model/obligations';
import { ApiError } from '../errors';
import type { Principal } from '../auth';
import { actorFor } from '../permissions';
import type { TaskReportBody } from '../schemas';
import { rootDirective } from './read-directive';

export async function reportOnTask(
  deps: { db: Db; client: Client },
  p: Principal,
  directiveId: string,
  taskRef: string,
  unitCode: string,
  body: TaskReportBody,
): Promise<TaskPartView> {
  const actorUnitCode = actorFor(p, unitCode);
  await rootDirective(deps.db, directiveId);
  if (!(await hasTaskPart(deps.db, directiveId, keys.taskPart(directiveId, taskRef, unitCode)))) {
    throw new ApiError(404, 'NOT_FOUND', `${unitCode} holds no part in task ${taskRef} of directive ${directiveId}`);
  }
  const handle = deps.client.workflow.getHandle(workflowIds.taskPart(directiveId, taskRef, unitCode));
  try {
    return await handle.executeUpdate(taskReportUpdate, { args: [{ actorUnitCode, ...body }] });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      throw new ApiError(409, 'CONFLICT', (err.cause as Error | undefined)?.message ?? err.message);
    }
    if (err instanceof WorkflowNotFoundError) throw new ApiError(409, 'CONFLICT', `task ${taskRef} is closed for ${unitCode}`);
    throw err;
  }
}
