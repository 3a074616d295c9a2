/**
 * What happens next to an assignment, decided purely from its state and what is waiting
 * to be applied: the wait loop's next step, what an acknowledgement leads to, when a
 * relaying level passes the document on, when a run continues as new. The Assignment class
 * applies the answers under its lock; tests/assignment-steps.test.ts tables them.
 */
import type { RelayMode } from '../contract/definitions';
import { currentObligation, dutiesDone, isClosed, relays, type AssignmentState } from './assignment-state';
import { nextLadderTime } from './ladder';

/** When a relaying level passes the document on; the API's default is on acknowledgement. */
export function relayMode(policy: { relay?: RelayMode }): RelayMode {
  return policy.relay ?? 'on_acknowledge';
}

/** A relaying level that relays on delivery passes the document on as soon as it is delivered. */
export function relaysOnDelivery(s: AssignmentState, mode: RelayMode): boolean {
  return relays(s) && mode === 'on_delivery';
}

/** What an acknowledgement (just applied to `s`) leads to. */
export interface AcknowledgeOutcome {
  /** The unit's last duty: ACKNOWLEDGED and COMPLETED are recorded in one write. */
  completes: boolean;
  /**
   * A relaying level passes the document on now: after the unit's answer, from the wait
   * loop (a province starts hundreds of units, longer than an HTTP caller waits).
   */
  relayNext: boolean;
}

export function acknowledgeOutcome(s: AssignmentState, mode: RelayMode): AcknowledgeOutcome {
  const relayNext = relays(s) && !s.forwarded && mode === 'on_acknowledge';
  return { completes: !relayNext && dutiesDone(s), relayNext };
}

/** What is waiting beside the state: messages not yet applied, and what the run has noticed. */
export interface Pending {
  /** An activity failed for good: the engine cannot carry the assignment on. */
  incident: boolean;
  revocation: boolean;
  amendment: boolean;
  /** Acknowledged and answered, not yet passed on. */
  relay: boolean;
  /** A report cycle closed in this run (a natural point to continue as new). */
  cycleClosed: boolean;
  /** The server suggests continuing as new (history long). */
  historyLong: boolean;
}

export type LoopStep =
  | { kind: 'closed' }
  | { kind: 'fail' }
  | { kind: 'revoke' }
  | { kind: 'amend' }
  | { kind: 'relay' }
  | { kind: 'continue-as-new' }
  | { kind: 'complete' }
  /** What the unit owes has no ladder yet (a new obligation, or an extension moved it). */
  | { kind: 'plan-deadline'; obligation: string }
  /** Wait for an action or a message until `at` (the next rung), or without end. */
  | { kind: 'wait'; obligation: string; at: string | undefined };

/**
 * The wait loop's next step. Messages first (a revocation before anything; a revoked unit
 * relays to nobody), then the relay owed, then continue-as-new, so that no message is left
 * behind in the old run unseen; then completion, planning and waiting.
 */
export function nextStep(s: AssignmentState, p: Pending): LoopStep {
  if (isClosed(s)) return { kind: 'closed' };
  if (p.incident) return { kind: 'fail' };
  if (p.revocation) return { kind: 'revoke' };
  if (p.amendment) return { kind: 'amend' };
  if (p.relay) return { kind: 'relay' };
  if (continuesAsNew(s, p)) return { kind: 'continue-as-new' };
  if (dutiesDone(s)) return { kind: 'complete' };
  const owed = currentObligation(s)!;
  if (s.ladder?.obligation !== owed.key) return { kind: 'plan-deadline', obligation: owed.key };
  return { kind: 'wait', obligation: owed.key, at: nextLadderTime(s.ladder) };
}

/**
 * A run continues as new after a report cycle closed with cycles still owed (years of
 * reporting stay in short histories), or when the server finds its history long while the
 * unit still owes something.
 */
export function continuesAsNew(s: AssignmentState, p: Pick<Pending, 'cycleClosed' | 'historyLong'>): boolean {
  if (isClosed(s)) return false;
  const cyclesLeft = s.reportCycles.length > s.reportsSubmitted.length;
  return (p.cycleClosed && cyclesLeft) || (p.historyLong && !dutiesDone(s));
}
