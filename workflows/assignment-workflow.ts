/**
 * One unit's copy of a cascade: receive, acknowledge, concretize, forward, report — each
 * waiting stage with a durable deadline and an escalation ladder. The state and the
 * actions live in the `Assignment` class (assignment.ts), the rules in the pure state
 * machine (assignment-state.ts); this function is wiring: handlers and the main sequence.
 */
import * as wf from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import {
  acknowledgeUpdate,
  amendSignal,
  childClosedSignal,
  closeNoticeRequestSignal,
  concretizeUpdate,
  decideExtensionUpdate,
  reportUpdate,
  requestExtensionUpdate,
  revokeSignal,
  stateQuery,
  type AssignmentView,
} from '../contract/definitions';
import type { AssignmentWorkflowInput } from '../contract/workflow-inputs';
import { Assignment } from './assignment';

export async function assignmentWorkflow(input: AssignmentWorkflowInput): Promise<void> {
  const a = new Assignment(input);

  // Handlers are registered before the first await, so no early message is lost.
  wf.setHandler(stateQuery, () => a.view());
  registerAction(a, acknowledgeUpdate, a.validateAcknowledge, (act) => a.acknowledge(act));
  registerAction(a, concretizeUpdate, a.validateConcretize, (act) => a.concretize(act));
  registerAction(a, reportUpdate, a.validateReport, (act) => a.report(act));
  registerAction(a, requestExtensionUpdate, a.validateExtensionRequest, (act) => a.requestExtension(act));
  registerAction(a, decideExtensionUpdate, a.validateExtensionDecision, (act) => a.decideExtension(act));
  wf.setHandler(amendSignal, (amend) => a.amend(amend));
  wf.setHandler(revokeSignal, (revoke) => a.revoke(revoke));
  wf.setHandler(childClosedSignal, (childId) => a.childClosed(childId));
  wf.setHandler(closeNoticeRequestSignal, () => a.noticeRequested());

  const exit = await a.deliver().then(
    () => a.run(),
    (err: unknown) => {
      if (a.hasIncident()) return 'failed' as const;
      throw err;
    },
  ).catch((err: unknown) => {
    // An incident raised inside the loop's own steps (a rung, a revocation, a completion).
    if (a.hasIncident()) return 'failed' as const;
    throw err;
  });
  if (exit === 'failed') {
    await a.fail();
  } else if (exit === 'continue-as-new') {
    // A reporting cycle closed or history grew long (years of reporting): start afresh
    // with the same state, so no history grows without bound.
    await wf.condition(wf.allHandlersFinished);
    await wf.continueAsNew<typeof assignmentWorkflow>({ ...input, carried: a.carried() });
  }
  // Closed for this unit; stay until the units below close so revocation still reaches them.
  if (a.delivered) await a.waitForChildren();
  await wf.condition(wf.allHandlersFinished);
  await a.closing();
}

/**
 * A unit action as an Update: the validator rejects bad input before it enters history;
 * the handler runs under the assignment's lock and validates again, since the state may
 * have moved while it waited for the lock. A rejection is a business failure, so the
 * Update fails (a plain Error would fail the workflow task instead).
 */
function registerAction<Arg>(
  a: Assignment,
  update: UpdateDefinition<AssignmentView, [Arg]>,
  validate: (act: Arg) => string | null,
  act: (act: Arg) => Promise<AssignmentView>,
): void {
  const reject = (reason: string | null): void => {
    if (reason) throw wf.ApplicationFailure.nonRetryable(reason, 'Rejected');
  };
  wf.setHandler(
    update,
    (arg) =>
      a.lock.run(async () => {
        reject(validate(arg));
        return act(arg);
      }),
    { validator: (arg) => reject(validate(arg)) },
  );
}
