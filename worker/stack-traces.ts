/**
 * Workflow stack traces, on or off for a worker process (WORKFLOW_STACK_TRACES).
 *
 * The TypeScript SDK answers the `__stack_trace` query (the Temporal UI's Stack Trace tab)
 * from a promise hook that captures and source-maps a stack for every promise workflow code
 * creates, pending or not (temporalio/sdk-typescript#1587). On a national cascade that hook
 * was 24-39 % of the worker's CPU and a fifth of its workflow threads' heap. The SDK has no
 * option for it, so a one-line patch (patches/@temporalio+worker+*.patch, applied by
 * `npm install` and the image) skips the hook when the workflow thread sees WORKFLOW_STACK_TRACES=off — as on a runtime without
 * promise hooks, which the SDK supports: the query then answers "Workflow stack traces are
 * not enabled on this worker". Everything else (history, replay, errors' own stacks) is
 * unchanged: workflow code and its commands do not depend on the hook.
 */
import fs from 'node:fs';
import { loadConfig } from '../runtime/config';

export type StackTraces = 'on' | 'off';

/** WORKFLOW_STACK_TRACES from the configuration (`env`, default the process's), else its default. */
export function stackTracesFromEnv(env?: NodeJS.ProcessEnv): StackTraces {
  return loadConfig(env).WORKFLOW_STACK_TRACES;
}

/** True when the installed SDK carries our patch (it reads WORKFLOW_STACK_TRACES). */
export function sdkReadsStackTraceSetting(): boolean {
  const file = require.resolve('@temporalio/worker/lib/workflow/vm-shared.js');
  return fs.readFileSync(file, 'utf8').includes("process.env.WORKFLOW_STACK_TRACES === 'off'");
}

/**
 * Sets the process's WORKFLOW_STACK_TRACES to `setting` before any SDK Worker is created: each
 * Worker's workflow thread reads it from the environment it copies at its start (the real
 * process environment: under Jest, whose `process.env` is a copy, it does not reach them, so
 * tests/worker-stack-traces.e2e.test.ts runs the worker as a process of its own). Warns when
 * `off` is asked for but the SDK was installed without the patch (`npm install
 * --ignore-scripts`): the worker still runs, with the traces' cost.
 */
export function applyStackTraces(
  setting: StackTraces,
  {
    patched = sdkReadsStackTraceSetting,
    warn = (l: string): void => void process.stderr.write(`${l}\n`),
  }: { patched?: () => boolean; warn?: (line: string) => void } = {},
): void {
  // A write, not a read of configuration: the SDK's workflow threads copy this environment.
  // eslint-disable-next-line no-restricted-properties
  process.env.WORKFLOW_STACK_TRACES = setting;
  if (setting === 'off' && !patched()) {
    warn(
      'worker: WORKFLOW_STACK_TRACES=off has no effect: @temporalio/worker is not patched (run `npx patch-package`); ' +
        'workflow stack traces stay on, with their CPU cost',
    );
  }
}
