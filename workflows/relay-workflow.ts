/**
 * A relay carries one slice of a large recipient list, so that no workflow has more than
 * `maxFanout` children pending (the server's limit is 2,000 per execution). Relays nest:
 * a slice that is still too large is split again. Its parent reads its result; a later run
 * of the parent that cannot asks for a childClosed signal.
 */
import * as wf from '@temporalio/workflow';
import { childClosedSignal, closeNoticeRequestSignal } from '../contract/definitions';
import type { RelayWorkflowInput } from '../contract/workflow-inputs';
import { fanOut } from './fanout';
import { closeNotice } from './propagation';
import { Downstream } from './downstream';

export async function relayWorkflow(input: RelayWorkflowInput): Promise<void> {
  const self = wf.workflowInfo().workflowId;
  let noticeOwed = false;
  const down = new Downstream({ directiveId: input.template.directiveId, issuerCode: input.template.issuerCode });
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
  down.fannedOut(started);

  await wf.condition(() => down.children.size === 0);
  // No pause: a relay runs no local activity.
  await closeNotice({ owed: () => noticeOwed, parentWorkflowId: input.temporalParentId, selfId: self, pause: false });
}
