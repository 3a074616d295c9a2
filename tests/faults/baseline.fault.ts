/**
 * Case 0: the same cascade with no fault, on the same kind of stack, so that the other
 * cases' durations can be read against what this machine does anyway (the suite has no
 * timing assertions; other work shares the two cores).
 */
import { runRelayScenario } from './harness/scenario';
import { slowCase } from './harness/slow-case';

slowCase(
  {
    name: 'baseline',
    summary: 'no fault (reference for the durations)',
    title: 'when nothing fails then nothing is lost or duplicated, every workflow agrees with its row and the cascade closes',
  },
  (stack, tree, rec) => runRelayScenario(stack, tree, rec, { label: 'BASELINE', inject: async () => undefined }),
);
