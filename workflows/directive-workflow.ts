/**
 * The root of a cascade: delivers the issuer's directive to its recipients and carries
 * amendments and revocations from the API into the tree. It closes when every unit below
 * has closed (the units by their results, the task parts by their childClosed signals).
 */
import * as wf from '@temporalio/workflow';
import { assignmentPolicy, childClosedSignal } from '../contract/definitions';
import { fanOut, startTaskParts } from './fanout';
import { startPatches } from './patches';
import { Downstream } from './downstream';
import { io } from './activity-proxies';
import type { DirectiveWorkflowInput } from '../contract/workflow-inputs';
import * as sa from '../contract/search-attributes';

export async function directiveWorkflow(input: DirectiveWorkflowInput): Promise<void> {
  startPatches(); // every patch is decided before the first activity (workflows/patches.ts)
  const self = wf.workflowInfo().workflowId;
  const down = new Downstream({ directiveId: input.directiveId, issuerCode: input.issuerCode });
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
      policy: assignmentPolicy(input.policy),
      baseCycles: input.cycles,
      directiveVersion: down.version,
      maxFanout: input.maxFanout,
      ...(input.startWave ? { startWave: input.startWave } : {}),
    },
    fromUnitCode: input.issuerCode,
    recipients,
    selfWorkflowId: self,
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
  down.fannedOut([...started, ...parts]);
  fannedOut = true;
  wf.setCurrentDetails(`Delivered to ${recipients.length} units; waiting for the cascade to close`);
  await wf.condition(() => fannedOut && children.size === 0);
  wf.upsertSearchAttributes([{ key: sa.Stage, value: down.revoked ? 'REVOKED' : 'CLOSED' }]);
}
