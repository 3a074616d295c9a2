/**
 * Patch ids (`patched()`): every change to the commands the workflows issue is guarded by
 * one, so that histories recorded by older code still replay (tests/histories/). Keep an
 * id until no execution that started before it can still be running, then remove its old
 * branch with `deprecatePatch` first (see README, "Deploying a workflow change").
 */
import { patched } from '@temporalio/workflow';
import type { WaveGrowth } from './start-pace';

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
   * Checked where used, in runs started before run-start-v2 (their histories carry these
   * markers mid-run): children get only the workflow's part of the policy; a relaying
   * level's acknowledgement is answered before its fan-out; events are recorded by a local
   * activity. Runs started with run-start-v2 or later decide all three at their start.
   */
  childPolicyOnly: 'child-policy-only',
  relayAfterAnswer: 'relay-after-answer',
  localRecord: 'local-record',
  /**
   * Decided once, at the start of a run (before its first local activity), for both: children
   * get only the workflow's part of the policy (AssignmentPolicy), the level rules staying
   * in the directive's stored policy that each delivery reads (issue 13); and a relaying
   * level's acknowledgement is answered before its fan-out, which the wait loop runs next
   * (a province's acknowledgement waited for ~100 child starts and timed out, issue 10).
   * Not at the point of use: a `patched()` call that follows a local activity does not
   * replay when that activity's completion was recorded in an earlier workflow task than
   * the code after it (a worker stalled past the task's heartbeat) — the replay resolves
   * the activity in the earlier task, where the marker is not yet known, and fails.
   */
  runStartV2: 'run-start-v2',
  // A run with run-start-v2 also takes every patch above without checking it (patchedInRun).
  /**
   * Decided at the start of a run, and implies v2: an assignment records its events with a
   * local activity (idempotent by sequence, as before) instead of a regular one — one
   * workflow task per unit action instead of three, no activity task on the server (issue
   * 10: +20 % acknowledgements/s measured). Safe only because no `patched()` call remains
   * mid-run in such a run (see runStartV2).
   */
  runStartV3: 'run-start-v3',
  /**
   * Decided at the start of a run, and implies v3: an acknowledgement that leaves the unit
   * nothing to do records ACKNOWLEDGED and COMPLETED in one write (one local activity, one
   * search-attribute upsert) instead of two (issue 10: every leaf of a cascade closes so).
   */
  runStartV4: 'run-start-v4',
  /**
   * Decided at the start of a run, and implies v4 (the last-duty acknowledgement still records
   * its completion in the same write), but withdraws v4's closing notice from the activity: a
   * run that closed in the workflow task whose local activity had already told the parent
   * (and written the read model) could have that task refused — UNHANDLED_COMMAND when a
   * signal, e.g. an amendment, arrived meanwhile — and then carried on unclosed while its
   * parent counted it closed and the read model held events the workflow never had (fault
   * suite run full-10, amend-revoke-burst: 8 duplicated events, 34 divergences). A v5 run
   * signals its parent from its own code, in a task that does not close the run.
   */
  runStartV5: 'run-start-v5',
  /**
   * Decided at the start of a run, and implies v5. A closing child reaches its parent once,
   * not twice: the parent learns of the close from the child's result (the child-completed
   * event it gets anyway), and children it starts (`closeNotice: 'on-request'`) send no
   * childClosed signal unless a later run of the parent asks for one. A run that carries
   * open children from another run (continue-as-new, admin retry) asks each of them at its
   * start; a child that can no longer be signalled has closed (issue 10: the parent's second
   * activation per acknowledgement). Such a child closes in a task of its own after its
   * last local activity (a 1 ms timer), as v5's signal made it do.
   */
  runStartV6: 'run-start-v6',
  /**
   * Decided at the start of a run, and implies v6. A relaying level's fan-out (at delivery,
   * or after its acknowledgement) lets the unit's own actions in between its waves of child
   * starts, instead of holding the lock until every unit below is started: a province's
   * acknowledgement waited for its whole fan-out — minutes with ten cascades at once, and a
   * 503 after the API's 20 s for one call in six (issue 10, BENCHMARKS.md).
   */
  runStartV7: 'run-start-v7',
  /**
   * Decided at the start of a run, and implies v7. A forwarding workflow sizes its waves of
   * child starts by how fast its last wave was started (start-pace.ts): from one, each wave
   * the size the last one's pace starts in WAVE_TARGET_MS, at most twice the last, up to
   * CASCADE_START_WAVE. Fixed waves of 8 suit one cascade and flood the server with ten at
   * once (2,720 starts in flight; issue 10, BENCHMARKS.md runs G–J).
   */
  runStartV8: 'run-start-v8',
  /**
   * Decided at the start of a run, and implies v8. Waves grow by one start after a fast wave
   * instead of doubling: doubling let ten cascades at once reach waves of 8 before the server
   * was loaded (20 deliveries/s in their first 4 minutes against 26/s; BENCHMARKS.md, ninth
   * session).
   */
  runStartV9: 'run-start-v9',
} as const;

/** The behaviours of {@link PATCHES.runStartV2}, fixed for the whole run. */
export interface StartPatches {
  /** A run started by v2 code or later: every earlier patch's new branch applies without a check. */
  v2: boolean;
  /** {@link PATCHES.runStartV3}: event records are local activities. */
  v3: boolean;
  /** {@link PATCHES.runStartV4}: a last-duty acknowledgement completes in the same write. */
  v4: boolean;
  /** {@link PATCHES.runStartV5}: no closing notice from the activity (v4 runs only sent one). */
  v5: boolean;
  /** {@link PATCHES.runStartV6}: children's closes are read from their results. */
  v6: boolean;
  /** {@link PATCHES.runStartV7}: a relaying fan-out lets the unit's actions in between waves. */
  v7: boolean;
  /** {@link PATCHES.runStartV8}: waves of child starts sized by how fast the last was started. */
  v8: boolean;
  /** {@link PATCHES.runStartV9}: those waves grow by one start, not twice. */
  v9: boolean;
}

/**
 * Call first thing in a run, before any activity. A run records only its newest marker
 * (each implies the ones before); replaying a run recorded before it, `patched()` of the
 * newer ones is false (no marker) and the check goes on to the marker that run recorded.
 */
export function startPatches(): StartPatches {
  const v9 = patched(PATCHES.runStartV9);
  const v8 = v9 || patched(PATCHES.runStartV8);
  const v7 = v8 || patched(PATCHES.runStartV7);
  const v6 = v7 || patched(PATCHES.runStartV6);
  const v5 = v6 || patched(PATCHES.runStartV5);
  const v4 = v5 || patched(PATCHES.runStartV4);
  const v3 = v4 || patched(PATCHES.runStartV3);
  const v2 = v3 || patched(PATCHES.runStartV2);
  return { v2, v3, v4, v5, v6, v7, v8, v9 };
}

/** How a run's waves of child starts grow (start-pace.ts); undefined: fixed waves (before v8). */
export const waveGrowth = (run: StartPatches): WaveGrowth | undefined =>
  run.v9 ? 'add-one' : run.v8 ? 'double' : undefined;

/** Children get only the workflow's part of the policy. */
export const childPolicyOnly = (run: StartPatches): boolean => patchedInRun(run, PATCHES.childPolicyOnly);

/** A relaying level answers its acknowledgement before its fan-out. */
export const relayAfterAnswer = (run: StartPatches): boolean => patchedInRun(run, PATCHES.relayAfterAnswer);

/**
 * Events are recorded by a local activity: in v3 runs; never in v2 runs (recorded by code
 * that used a regular activity, with no check); checked where used in older runs.
 */
export const localRecords = (run: StartPatches): boolean => run.v3 || (!run.v2 && patched(PATCHES.localRecord));

/**
 * `patched(id)` for a check an assignment makes mid-run (often right after a local activity):
 * a run started with {@link PATCHES.runStartV2} takes every new branch without a marker, so
 * only runs started by older code still check, at the same points as when they were recorded.
 */
export function patchedInRun(run: StartPatches, id: string): boolean {
  return run.v2 || patched(id);
}
