/**
 * The root of a cascade: delivers the issuer's directive to its recipients and carries
 * amendments and revocations from the API into the tree. It closes when every unit below
 * has closed.
 */
import * as wf from '@temporalio/workflow';
import { amendSignal, assignmentPolicy, childClosedSignal, revokeSignal } from '../contract/definitions';
import { fanOut, startTaskParts } from './fanout';
import { childPolicyOnly, startPatches, waveGrowth } from './patches';
import { forwardSignal } from './propagation';
import { Downstream } from './downstream';
import { io } from './activity-proxies';
import type { DirectiveWorkflowInput } from '../contract/workflow-inputs';
import * as sa from '../contract/search-attributes';

export async function directiveWorkflow(input: DirectiveWorkflowInput): Promise<void> {
  const patches = startPatches();
  const self = wf.workflowInfo().workflowId;
  // run-start-v6: the units it starts close by their results (the root never continues-as-new).
  const down = new Downstream({ directiveId: input.directiveId, issuerCode: input.issuerCode }, patches.v6);
  down.version = input.version;
  const { children } = down;
  let fannedOut = false;
  wf.setHandler(childClosedSignal, (id) => children.closed(id));
  down.listen();

  wf.upsertSearchAttributes([
    { key: sa.DirectiveId, value: input.directiveId },
    { key: sa.DirectiveNumber, value: input.number },
    { key: sa.UnitCode, value: input.issuerCode },
    { key: sa.Stage, value: 'ISSUED' },
  ]);
  const recipients = await io.unitRefs.executeWithOptions({ summary: 'look up recipients' }, [input.recipients]);
  const started = await fanOut({
    template: {
      directiveId: input.directiveId,
      directiveNumber: input.number,
      receivedDirectiveId: input.directiveId,
      documentNumber: input.number,
      issuerCode: input.issuerCode,
      parentAssignmentId: null,
      parentUnitCode: input.issuerCode,
      relDepth: 1,
      policy: childPolicyOnly(patches) ? assignmentPolicy(input.policy) : input.policy,
      baseCycles: input.cycles,
      directiveVersion: down.version,
      maxFanout: input.maxFanout,
      ...(input.startWave ? { startWave: input.startWave } : {}),
      ...(patches.v6 ? { closeNotice: 'on-request' as const } : {}),
    },
    fromUnitCode: input.issuerCode,
    recipients,
    selfWorkflowId: self,
    ...(waveGrowth(patches) ? { adaptiveWaves: waveGrowth(patches) } : {}),
    onStarted: down.watch,
  });
  const parts = input.taskParts?.length
    ? await startTaskParts({
        template: {
          directiveId: input.directiveId,
          directiveNumber: input.number,
          issuerCode: input.issuerCode,
          escalation: input.policy.escalation,
          calendar: input.policy.calendar,
        },
        parts: input.taskParts,
        selfWorkflowId: self,
        onStarted: down.watchLost, // a task part signals its close
      })
    : [];
  down.fannedOut([...started, ...parts], () => {
    if (down.revoked) forwardSignal(children.ids, revokeSignal, down.revoked);
    if (down.version > input.version) forwardSignal(children.ids, amendSignal, { version: down.version });
  });
  fannedOut = true;
  wf.setCurrentDetails(`Delivered to ${recipients.length} units; waiting for the cascade to close`);
  await wf.condition(() => fannedOut && children.size === 0);
  wf.upsertSearchAttributes([{ key: sa.Stage, value: down.revoked ? 'REVOKED' : 'CLOSED' }]);
}
