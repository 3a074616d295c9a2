/**
 * Case 3: PostgreSQL (read model, outbox, tokens) is stopped for 30 s mid-cascade while the
 * worker writes transitions and units keep acknowledging through the API.
 */
import { runRelayScenario } from './harness/scenario';
import { slowCase } from './harness/slow-case';
import { sleep } from '../../stack/wait';

const DOWN_MS = 30_000;

slowCase(
  {
    name: 'postgres-outage',
    summary: 'PostgreSQL stopped 30 s mid-cascade',
    title:
      'when PostgreSQL is stopped for 30 seconds mid-cascade then nothing is lost or duplicated, every workflow agrees with its row and the cascade closes',
  },
  (stack, tree, rec) =>
    runRelayScenario(stack, tree, rec, {
      label: 'POSTGRES',
      inject: async ({ stack, progress, acks, expected, rec }) => {
        await progress.until((p) => p.delivered >= expected * 0.4, '40 % delivered');
        const t = Date.now();
        const at = `at ${progress.delivered}/${expected} delivered, ${acks.accepted} acknowledged`;
        await stack.stopPostgres();
        await sleep(DOWN_MS);
        await stack.startPostgres();
        rec.fault('PostgreSQL stopped and restarted', at, Date.now() - t);
      },
    }),
);
