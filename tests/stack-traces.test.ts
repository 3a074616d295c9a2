/** WORKFLOW_STACK_TRACES: parsed like every setting, handed to the SDK through the environment. */
import { applyStackTraces, sdkReadsStackTraceSetting, stackTracesFromEnv } from '../worker/stack-traces';

const saved = process.env.WORKFLOW_STACK_TRACES;
afterEach(() => {
  if (saved === undefined) delete process.env.WORKFLOW_STACK_TRACES;
  else process.env.WORKFLOW_STACK_TRACES = saved;
});

test('when WORKFLOW_STACK_TRACES is unset or empty then traces are off by default', () => {
  expect(stackTracesFromEnv({})).toBe('off');
  expect(stackTracesFromEnv({ WORKFLOW_STACK_TRACES: '' })).toBe('off');
  expect(stackTracesFromEnv({ WORKFLOW_STACK_TRACES: 'on' })).toBe('on');
});

test('when WORKFLOW_STACK_TRACES is neither on nor off then it is refused', () => {
  expect(() => stackTracesFromEnv({ WORKFLOW_STACK_TRACES: 'yes' })).toThrow(/on.*off|off.*on/);
});

test('when dependencies are installed then the SDK carries the patch that reads the setting', () => {
  // patch-package runs in postinstall; without it `off` would silently keep the traces' cost.
  expect(sdkReadsStackTraceSetting()).toBe(true);
});

test('when traces are turned off on an unpatched SDK then the worker warns and the setting still reaches the environment', () => {
  const warnings: string[] = [];
  applyStackTraces('off', { patched: () => false, warn: (l) => warnings.push(l) });
  expect(process.env.WORKFLOW_STACK_TRACES).toBe('off');
  expect(warnings).toEqual([expect.stringMatching(/WORKFLOW_STACK_TRACES=off has no effect.*patch-package/)]);
});

test('when traces are on, or off on a patched SDK, then nothing is said', () => {
  const warnings: string[] = [];
  applyStackTraces('on', { patched: () => false, warn: (l) => warnings.push(l) });
  expect(process.env.WORKFLOW_STACK_TRACES).toBe('on');
  applyStackTraces('off', { patched: () => true, warn: (l) => warnings.push(l) });
  expect(warnings).toEqual([]);
});
