/**
 * Messages down and up the workflow tree. Amendments and revocations go to each open child
 * by id (children are started with ABANDON, so they survive a parent's continue-as-new);
 * a closing child tells its Temporal parent once.
 */
import { getExternalWorkflowHandle, type SignalDefinition } from '@temporalio/workflow';
import { childClosedSignal } from '../contract/definitions';

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

/**
 * The children a workflow waits for before it closes. A child can close, and say so,
 * before the parent's fan-out has returned its id; such early closes are remembered so
 * that the id is never added and the parent never waits for a child already gone.
 */
export class ChildSet {
  private readonly closedEarly = new Set<string>();

  /** `ids` is mutated in place, so it can be state carried across continue-as-new. */
  constructor(readonly ids: string[] = []) {}

  get size(): number {
    return this.ids.length;
  }

  added(started: string[]): void {
    for (const id of started) if (!this.closedEarly.delete(id)) this.ids.push(id);
  }

  closed(id: string): void {
    const at = this.ids.indexOf(id);
    if (at >= 0) this.ids.splice(at, 1);
    else this.closedEarly.add(id);
  }
}
