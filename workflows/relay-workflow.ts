/**
 * A relay carries one slice of a large recipient list, so that no workflow has more than
 * `maxFanout` children pending (the server's limit is 2,000 per execution). Relays nest:
 * a slice that is still too large is split again.
 */
import * as wf from '@temporalio/workflow';
import { amendSignal, childClosedSignal, revokeSignal } from '../contract/definitions';
import type { RelayWorkflowInput } from '../contract/workflow-inputs';
import { fanOut } from './fanout';
import { ChildSet, forwardSignal, notifyClosed } from './propagation';

export async function relayWorkflow(input: RelayWorkflowInput): Promise<void> {
  const self = wf.workflowInfo().workflowId;
  const children = new ChildSet();
  let revoked: { reason?: string } | null = null;
  const amendments: { version: number; note?: string }[] = [];
  wf.setHandler(childClosedSignal, (id) => children.closed(id));
  wf.setHandler(revokeSignal, (r) => {
    revoked = r;
    forwardSignal(children.ids, revokeSignal, r);
  });
  wf.setHandler(amendSignal, (a) => {
    amendments.push(a);
    forwardSignal(children.ids, amendSignal, a);
  });

  children.added(
    await fanOut({
      template: input.template,
      fromUnitCode: input.fromUnitCode,
      recipients: input.recipients,
      selfWorkflowId: self,
      batchPrefix: `${input.batch}.`,
    }),
  );
  // Messages that arrived while children were starting reach them now.
  if (revoked) forwardSignal(children.ids, revokeSignal, revoked);
  for (const a of amendments) forwardSignal(children.ids, amendSignal, a);

  await wf.condition(() => children.size === 0);
  await notifyClosed(input.temporalParentId, self);
}
