/**
 * A relay carries one slice of a large recipient list, so that no workflow has more than
 * `maxFanout` children pending (the server's limit is 2,000 per execution). Relays nest:
 * a slice that is still too large is split again.
 */
import * as wf from '@temporalio/workflow';
import { amendSignal, childClosedSignal, closeNoticeRequestSignal, revokeSignal } from '../contract/definitions';
import type { RelayWorkflowInput } from '../contract/workflow-inputs';
import { fanOut } from './fanout';
import { closeNotice, forwardSignal } from './propagation';
import { Downstream } from './downstream';

export async function relayWorkflow(input: RelayWorkflowInput): Promise<void> {
  const self = wf.workflowInfo().workflowId;
  // Started by a run-start-v6 run: this relay and the children it starts (same template)
  // close by their results; keyed on the input, so relays recorded before replay as they ran.
  const byResult = input.template.closeNotice === 'on-request';
  let noticeOwed = !byResult;
  const down = new Downstream({ directiveId: input.template.directiveId, issuerCode: input.template.issuerCode }, byResult);
  wf.setHandler(childClosedSignal, (id) => down.children.closed(id));
  wf.setHandler(closeNoticeRequestSignal, () => {
    noticeOwed = true;
  });
  down.listen();

  const started = await fanOut({
    template: input.template,
    fromUnitCode: input.fromUnitCode,
    recipients: input.recipients,
    selfWorkflowId: self,
    batchPrefix: `${input.batch}.`,
    onStarted: down.watch,
  });
  // Messages that arrived while children were starting reach them now.
  down.fannedOut(started, () => {
    if (down.revoked) forwardSignal(down.children.ids, revokeSignal, down.revoked);
    for (const a of down.amendments) forwardSignal(down.children.ids, amendSignal, a);
  });

  await wf.condition(() => down.children.size === 0);
  // No pause: a relay runs no local activity.
  await closeNotice({ owed: () => noticeOwed, parentWorkflowId: input.temporalParentId, selfId: self, pause: false });
}
