/**
 * The acknowledgement floor: after the client floor has delivered, `--clients` concurrent
 * clients send each bare workflow its acknowledgement (an Update whose handler runs one
 * activity; the workflow then closes), through the Temporal client. What the same machine
 * and dev server give for unit actions with no engine on top: the ceiling the cascade's
 * acknowledgements (through the API) are compared against.
 */
import type { Client } from '@temporalio/client';
import { floorAckUpdate } from '../floor-workflows';
import { summarize, type LatencySummary, type Timed } from './http';
import { sleep } from '../../stack/wait';
import { cpuWindow, log, type CpuProbe } from './measure';
import { clientLoops } from './acks';

export interface AckFloorResult {
  acked: number;
  ms: number;
  /** Failed update calls (each is retried up to five times). */
  errors: number;
  latency?: LatencySummary;
  cpu: Record<string, number>;
  budgetHit: boolean;
}

export async function runAckFloor(opts: {
  client: Client;
  workflowIds: string[];
  clients: number;
  budgetS?: number;
  probes: CpuProbe[];
}): Promise<AckFloorResult> {
  const { client, workflowIds } = opts;
  const samples: Timed[] = [];
  let acked = 0;
  const cpu = cpuWindow(opts.probes);
  const t0 = Date.now();
  const clients = clientLoops(workflowIds, opts.clients, t0, async (workflowId) => {
    const t = performance.now();
    try {
      await client.workflow.getHandle(workflowId).executeUpdate(floorAckUpdate);
    } catch (err) {
      samples.push({ status: 0, ms: performance.now() - t });
      throw err;
    }
    samples.push({ status: 200, ms: performance.now() - t });
    acked++;
  });
  log(`floor (client): ${opts.clients} clients acknowledging ${workflowIds.length} workflows (Temporal client)`);
  const deadline = opts.budgetS !== undefined ? t0 + opts.budgetS * 1000 : Infinity;
  let lastPrint = t0;
  let last = 0;
  let finished = false;
  void clients.done.then(() => (finished = true));
  while (!finished) {
    await sleep(250);
    if (Date.now() >= deadline) clients.stop(); // each client finishes its current call
    if (Date.now() - lastPrint >= 5000) {
      log(`floor (client): ${acked}/${workflowIds.length} acknowledged (${(((acked - last) * 1000) / (Date.now() - lastPrint)).toFixed(0)}/s), errors ${clients.errors()}`);
      lastPrint = Date.now();
      last = acked;
    }
  }
  await clients.done;
  const ms = Date.now() - t0;
  log(`floor (client): ${acked} acknowledged in ${(ms / 1000).toFixed(1)} s (${((acked * 1000) / ms).toFixed(1)}/s)`);
  const latency = summarize(samples);
  return {
    acked,
    ms,
    errors: clients.errors(),
    ...(latency ? { latency } : {}),
    cpu: cpu(),
    budgetHit: acked < workflowIds.length,
  };
}
