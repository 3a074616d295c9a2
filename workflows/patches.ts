/**
 * Patch ids (`patched()`): every change to the commands the workflows issue is guarded by
 * one, so that histories recorded by older code still replay (tests/histories/). Keep an
 * id until no execution that started before it can still be running, then remove its old
 * branch with `deprecatePatch` first (see README, "Deploying a workflow change").
 */
export const PATCHES = {
  /** Revocations and amendments reach each child once, after any fan-out in flight. */
  forwardOnce: 'forward-once-under-lock',
  /** A closing child no longer wakes the wait loop (which re-created the deadline timer). */
  quietChildClose: 'quiet-child-close',
  /** Revocations and amendments are applied before a continue-as-new, and carried into it. */
  messagesBeforeContinueAsNew: 'messages-before-continue-as-new',
  carryPendingMessages: 'carry-pending-messages',
  /**
   * The wait loop re-checks under the lock what it decided outside it (complete, revoke, plan
   * a deadline): an acknowledgement queued behind a relay's fan-out completed the assignment
   * first and the loop completed it again (two COMPLETED events, found by the fault suite).
   */
  recheckUnderLock: 'recheck-under-lock',
  /**
   * Children get only the workflow's part of the policy (AssignmentPolicy); the level rules
   * stay in the directive's stored policy, which each delivery reads (issue 13: one copy of
   * the policy, not one per workflow input).
   */
  childPolicyOnly: 'child-policy-only',
  /**
   * A relaying level's acknowledgement is answered before its fan-out, which the wait loop
   * runs next: a province's acknowledgement waited for hundreds of child starts and its
   * caller timed out (503), half the provinces on every national benchmark run (issue 10).
   */
  relayAfterAnswer: 'relay-after-answer',
  /**
   * An assignment records its events with a local activity (idempotent by sequence): one
   * workflow task per action instead of three, and no activity task on the server (issue 10).
   */
  localRecord: 'local-record',
} as const;
