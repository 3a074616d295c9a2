/**
 * Case 1: the worker process is `kill -9`ed three times — twice during delivery, once
 * during the acknowledgements — and restarted each time, as a supervisor would.
 */
import { runRelayScenario } from './harness/scenario';
import { slowCase } from './harness/slow-case';

slowCase(
  {
    name: 'worker-kill',
    summary: 'worker `kill -9` ×3 (2 during delivery, 1 during acks)',
    title:
      'when the worker is killed with SIGKILL three times during delivery and acknowledgements then nothing is lost or duplicated, every workflow agrees with its row and the cascade closes',
  },
  (stack, tree, rec) =>
    runRelayScenario(stack, tree, rec, {
      label: 'KILL9',
      inject: async ({ stack, progress, acks, expected, rec }) => {
        const kill = async (why: string) => {
          const t = Date.now();
          await stack.worker.kill9();
          await stack.worker.restart();
          rec.fault('worker kill -9', why, Date.now() - t);
        };
        await progress.until((p) => p.delivered >= expected * 0.25, '25 % delivered');
        await kill(`at ${progress.delivered}/${expected} delivered`);
        await progress.until((p) => p.delivered >= expected * 0.6, '60 % delivered');
        await kill(`at ${progress.delivered}/${expected} delivered`);
        await progress.until(() => acks.accepted >= acks.total * 0.5, 'half the acknowledgements');
        await kill(`at ${acks.accepted}/${acks.total} acknowledgements accepted`);
      },
    }),
);
