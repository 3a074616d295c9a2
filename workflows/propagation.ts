/**
 * Messages down and up the workflow tree. Amendments and revocations go to each open child
 * by id (children are started with ABANDON, so they survive a parent's continue-as-new);
 * a closing child tells its Temporal parent once.
 */
import { getExternalWorkflowHandle, type SignalDefinition } from '@temporalio/workflow';
import { childClosedSignal } from './definitions';

export function forwardSignal<A>(childIds: string[], signal: SignalDefinition<[A]>, arg: A): void {
  for (const id of childIds) {
    // A child that closed meanwhile cannot be signalled; that is fine, it needs nothing.
    getExternalWorkflowHandle(id)
      .signal(signal, arg)
      .catch(() => undefined);
  }
}

export async function notifyClosed(parentWorkflowId: string, selfId: string): Promise<void> {
  try {
    await getExternalWorkflowHandle(parentWorkflowId).signal(childClosedSignal, selfId);
  } catch {
    // The parent already closed (it was revoked and gave up waiting): nothing to tell.
  }
}
