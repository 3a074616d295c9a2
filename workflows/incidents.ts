/**
 * Recognising incidents in workflow code: which failures are a unit's business rejection
 * (its action refused, the assignment goes on) and which mean the engine cannot carry an
 * assignment on, and what to tell people about them.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  ChildWorkflowFailure,
  TemporalFailure,
  TerminatedFailure,
  TimeoutFailure,
} from '@temporalio/workflow';
import { unitOfAssignmentWorkflow } from '../contract/ids';
import { incidents } from './activity-proxies';

/**
 * The activity refused the unit's action (BusinessRejection): not an incident. A regular
 * activity's failure wraps it in an ActivityFailure; a local activity's can come bare.
 */
export function isRejection(err: unknown): boolean {
  const failure = err instanceof ActivityFailure ? err.cause : err;
  return failure instanceof ApplicationFailure && failure.type === 'BusinessRejection';
}

/** A failure of an activity call that is not a rejection: the assignment cannot go on. */
export function isIncident(err: unknown): boolean {
  return err instanceof TemporalFailure && !isRejection(err);
}

/** A short, human reason for an incident, as stored in the read model and shown in the UI. */
export function describeIncident(err: unknown): string {
  if (err instanceof ChildWorkflowFailure) {
    const cause = err.cause;
    const how =
      cause instanceof TerminatedFailure
        ? 'was terminated'
        : cause instanceof CancelledFailure
          ? 'was cancelled'
          : cause instanceof TimeoutFailure
            ? 'timed out'
            : 'failed';
    // A termination's message is just "Terminated"; the operator's reason stays in Temporal.
    const detail = cause?.message && !(cause instanceof TerminatedFailure) ? `: ${cause.message}` : '';
    return `the assignment workflow ${how}${detail}`.slice(0, 2000);
  }
  if (err instanceof ActivityFailure) {
    const cause = err.cause;
    const what = cause instanceof TimeoutFailure ? 'kept failing until its time ran out' : 'failed';
    return `${err.activityType ?? 'an activity'} ${what}: ${cause?.message ?? err.message}`.slice(0, 2000);
  }
  if (err instanceof ApplicationFailure) return `an activity failed: ${err.message}`.slice(0, 2000);
  return (err instanceof Error ? err.message : String(err)).slice(0, 2000);
}

/**
 * Watches a started child: when it fails, is terminated, cancelled or times out (it can
 * then no longer say it closed), `onLost` runs; when it completes, `onClosed` (absent for a
 * child that signals its close).
 */
export function watchChild(result: Promise<unknown>, onLost: (err: unknown) => Promise<void>, onClosed?: () => void): void {
  result.then(
    () => onClosed?.(),
    (err: unknown) => onLost(err),
  );
}

/**
 * A child assignment that can no longer tell its forwarder it closed (failed, terminated):
 * its incident is recorded on its behalf (idempotent per attempt, so a child that recorded
 * its own incident is not counted twice). Relays carry no assignment: nothing to record.
 */
export async function recordLostChild(
  cascade: { directiveId: string; issuerCode: string },
  childId: string,
  err: unknown,
): Promise<void> {
  const unitCode = unitOfAssignmentWorkflow(cascade.directiveId, childId);
  if (unitCode === null) return;
  await incidents.recordIncident.executeWithOptions({ summary: `incident: ${unitCode} lost` }, [
    {
      directiveId: cascade.directiveId,
      unitCode,
      issuerCode: cascade.issuerCode,
      reportedBy: 'parent',
      attempt: 0,
      reason: describeIncident(err),
      at: new Date(Date.now()).toISOString(),
    },
  ]);
}
