/**
 * A relay carries one slice of a large recipient list, so that no workflow has more than
 * `maxFanout` children pending (the server's limit is 2,000 per execution). Relays nest:
 * a slice that is still too large is split again.
 */
import * as wf from '@temporalio/workflow';
import { amendSignal, childClosedSignal, revokeSignal } from './definitions';
import { fanOut, type RelayWorkflowInput } from './fanout';
import { forwardSignal, notifyClosed } from './propagation';

export async function relayWorkflow(input: RelayWorkflowInput): Promise<void> {
  const self = wf.workflowInfo().workflowId;
  let open: string[] = [];
  let revoked: { reason?: string } | null = null;
  const amendments: { version: number; note?: string }[] = [];
  wf.setHandler(childClosedSignal, (id) => {
    open = open.filter((c) => c !== id);
  });
  wf.setHandler(revokeSignal, (r) => {
    revoked = r;
    forwardSignal(open, revokeSignal, r);
  });
  wf.setHandler(amendSignal, (a) => {
    amendments.push(a);
    forwardSignal(open, amendSignal, a);
  });

  open = await fanOut({
    template: input.template,
    fromUnitCode: input.fromUnitCode,
    recipients: input.recipients,
    selfWorkflowId: self,
    batchPrefix: `${input.batch}.`,
  });
  // Messages that arrived while children were starting reach them now.
  if (revoked) forwardSignal(open, revokeSignal, revoked);
  for (const a of amendments) forwardSignal(open, amendSignal, a);

  await wf.condition(() => open.length === 0);
  await notifyClosed(input.temporalParentId, self);
}
