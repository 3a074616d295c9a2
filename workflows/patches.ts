/**
 * Patch ids (`patched()`): from release 1.0, every change to the commands the workflows
 * issue is guarded by one, so that the production histories in tests/histories/ still
 * replay. Each id is decided once, at the start of a run, before its first activity: a
 * `patched()` call that follows a local activity does not replay when that activity's
 * completion was recorded in an earlier workflow task than the code after it. A run records
 * the markers of the patches it takes; replaying an older run, `patched()` is false.
 *
 * To change a workflow: add an id here, branch on `run.<name>` where the behaviour differs,
 * record a history of the new path (docs/changing-a-workflow.md). When no run that started
 * before a patch can still be open, `deprecatePatch` it, then remove it with its old branch.
 */
import { patched } from '@temporalio/workflow';

/** The current patches, by name. */
export const PATCHES = {
  /** Ladders plan reminders before each deadline (one by default) and rung repeats. */
  remindersBeforeDeadline: 'reminders-before-deadline',
} as const satisfies Record<string, string>;

export type PatchName = keyof typeof PATCHES;

/** Which patches this run takes, fixed for the whole run. */
export type RunPatches = Readonly<Record<PatchName, boolean>>;

/** Call first thing in a run, before any activity: decides every patch for the run. */
export function startPatches(): RunPatches {
  const ids: Readonly<Record<string, string>> = PATCHES;
  return Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, patched(id)])) as RunPatches;
}
