/**
 * Case 2: the Temporal dev server is stopped mid-cascade and started again on the same
 * SQLite database (same port) 15 s later, while units keep acknowledging through the API.
 */
import { runRelayScenario } from './harness/scenario';
import { slowCase } from './harness/slow-case';
import { sleep } from '../../stack/wait';

const DOWN_MS = 15_000;

slowCase(
  {
    name: 'temporal-restart',
    summary: 'Temporal dev server stopped 15 s mid-cascade, restarted on its SQLite file',
    title:
      'when the Temporal dev server is stopped mid-cascade and restarted on the same database then nothing is lost or duplicated, every workflow agrees with its row and the cascade closes',
  },
  (stack, tree, rec) =>
    runRelayScenario(stack, tree, rec, {
      label: 'TEMPORAL',
      inject: async ({ stack, progress, acks, expected, rec }) => {
        await progress.until((p) => p.delivered >= expected * 0.4, '40 % delivered');
        const t = Date.now();
        const at = `at ${progress.delivered}/${expected} delivered, ${acks.accepted} acknowledged`;
        await stack.stopTemporal();
        await sleep(DOWN_MS);
        await stack.startTemporal();
        rec.fault('Temporal dev server stopped and restarted', at, Date.now() - t);
      },
    }),
);
