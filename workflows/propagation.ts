/**
 * Messages down and up the workflow tree. Amendments and revocations go to each open child
 * by id (children are started with ABANDON, so they survive a parent's continue-as-new).
 * A closing child tells its Temporal parent once: the parent reads the child's result (the
 * child-completed event it gets anyway), and only a parent's run that cannot read it (it
 * continued-as-new, or an admin retried it) asks the child for a childClosed signal.
 */
import { getExternalWorkflowHandle, sleep, type SignalDefinition } from '@temporalio/workflow';
import { childClosedSignal, closeNoticeRequestSignal } from '../contract/definitions';

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
 * Tells the parent this run closes, if it is owed (`owed` is read last thing: a parent's
 * request that reaches this run while its closing task is in flight refuses that task, and
 * the handler runs before this code in the task that follows). Not owed, the run first
 * takes a task boundary (`pause`): its closing command must not share a workflow task with
 * a local activity, whose write a refused task could not take back (a task refused because
 * a signal arrived would leave the run open while the read model and the parent had it
 * closed).
 */
export async function closeNotice(opts: {
  owed: () => boolean;
  parentWorkflowId: string;
  selfId: string;
  pause: boolean;
}): Promise<void> {
  if (!opts.owed() && opts.pause) await sleep(1);
  if (opts.owed()) await notifyClosed(opts.parentWorkflowId, opts.selfId);
}

/**
 * Asks each child for a childClosed signal when it closes (a run carrying children another
 * run started, whose results it cannot read). Returns the children that could not be
 * signalled: a workflow that is no longer running, i.e. a child that has closed.
 */
export async function askForCloseNotice(childIds: string[]): Promise<string[]> {
  const gone = await Promise.all(
    childIds.map((id) =>
      getExternalWorkflowHandle(id)
        .signal(closeNoticeRequestSignal)
        .then(
          () => null,
          () => id,
        ),
    ),
  );
  return gone.filter((id): id is string => id !== null);
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
