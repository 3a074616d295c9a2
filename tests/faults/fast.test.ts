/**
 * The fast subset of the fault suite, run by the default `npm test` on the shared test
 * stack (tests/harness) over the 22-unit demo tree: the worker process killed with
 * SIGKILL mid-cascade (case 1), and an assignment workflow terminated from the Temporal CLI,
 * shown FAILED and retried by the admin (case 5). The slow suite (`npm run test:faults`)
 * runs all six cases over 1,550 units; see RELIABILITY.md.
 */
import { loadTree } from './harness/cascade';
import { CaseRecorder } from './harness/results';
import { runRelayScenario } from './harness/scenario';
import { startFaultStack, type FaultStack } from './harness/stack';
import { terminateAndRetry } from './harness/terminate';
import { demoFaultTree } from './harness/tree';
import { waitFor } from '../../stack/wait';

const tree = demoFaultTree();
let stack: FaultStack | undefined;

beforeAll(async () => {
  stack = await startFaultStack({ name: 'fast', mode: 'shared' });
  await loadTree(stack, tree);
}, 180_000);

afterAll(async () => {
  await stack?.close();
}, 60_000);

/** Runs a scenario and records it; the figures go to .data/faults/results.jsonl (suite "fast"). */
async function recorded(name: string, summary: string, run: (rec: CaseRecorder) => Promise<string[]>): Promise<string[]> {
  const rec = new CaseRecorder('fast', name, summary);
  let problems: string[] = ['the case did not finish'];
  try {
    problems = await run(rec);
  } catch (err) {
    problems = [`the case stopped: ${err instanceof Error ? err.message : String(err)}`];
  } finally {
    for (const p of problems) if (!rec.findings.some((f) => f.endsWith(p))) rec.note(p);
    rec.write(problems.length === 0);
  }
  return problems;
}

describe('fault subset on the demo tree', () => {
  test('when the worker process is killed with SIGKILL mid-cascade and restarted then nothing is lost or duplicated, every workflow agrees with its row and the cascade closes', async () => {
    const problems = await recorded('worker-kill', 'worker kill -9 during delivery and acks', (rec) =>
      runRelayScenario(stack!, tree, rec, {
        label: 'FAST-KILL9',
        budgetMs: 120_000,
        inject: async ({ stack, progress, expected, rec }) => {
          await progress.until((p) => p.delivered >= Math.ceil(expected / 4), 'a quarter delivered', 60_000);
          const t = Date.now();
          await stack.worker.kill9();
          await stack.worker.restart();
          rec.fault('worker kill -9', `at ${progress.delivered}/${expected} delivered`, Date.now() - t);
        },
      }),
    );
    expect(problems).toEqual([]);
  }, 240_000);

  test('when an assignment workflow is terminated from the Temporal CLI then it is FAILED and counted, and after the admin retries it the unit acts again and the cascade closes', async () => {
    const target = 'VP-LT-QS';
    const problems = await recorded('terminated-assignment', 'a commune workflow terminated, FAILED, retried', (rec) =>
      runRelayScenario(stack!, tree, rec, {
        label: 'FAST-TERMINATE',
        budgetMs: 120_000,
        holdBack: (code) => code === target,
        inject: async ({ stack, directiveId, tokens, problems, rec }) => {
          await waitFor(
            () => stack.db.assignment.count({ where: { directiveId, unitCode: target } }),
            (n) => n === 1,
            `${target} delivered`,
            60_000,
            200,
          );
          problems.push(...(await terminateAndRetry(stack, directiveId, target, tokens.get(target)!, rec, 60_000)));
        },
      }),
    );
    expect(problems).toEqual([]);
  }, 240_000);
});
