/**
 * A closing assignment's notice to the workflow that started it, sent by the activity that
 * records its completion (run-start-v4) rather than by a signal command of the workflow:
 * the workflow then closes in the same workflow task, one task and three history events
 * fewer for every leaf of a cascade. The signal goes to the parent's current run (a parent
 * that continued-as-new hears it too); a retried activity may send it twice, which the
 * parent's ChildSet ignores.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { childClosedSignal } from '../contract/definitions';
import type { ClosedNotice } from '../contract/activities';

export async function tellParentClosed(notice: ClosedNotice): Promise<void> {
  try {
    await Context.current().client.workflow.getHandle(notice.parentWorkflowId).signal(childClosedSignal, notice.workflowId);
  } catch (err) {
    // The parent already closed (revoked, it gave up waiting): nobody to tell, as in the workflow.
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}
