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
import { cpuWindow, log, sleep, type CpuProbe } from './measure';

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
  let next = 0;
  let acked = 0;
  let errors = 0;
  const cpu = cpuWindow(opts.probes);
  const t0 = Date.now();
  const deadline = opts.budgetS !== undefined ? t0 + opts.budgetS * 1000 : Infinity;
  const loop = async () => {
    for (let i = next++; i < workflowIds.length && Date.now() < deadline; i = next++) {
      for (let attempt = 1; attempt <= 5; attempt++) {
        const t = performance.now();
        try {
          await client.workflow.getHandle(workflowIds[i]!).executeUpdate(floorAckUpdate);
          samples.push({ status: 200, ms: performance.now() - t });
          acked++;
          break;
        } catch {
          samples.push({ status: 0, ms: performance.now() - t });
          errors++;
          await sleep(200 * attempt);
        }
      }
    }
  };
  log(`floor (client): ${opts.clients} clients acknowledging ${workflowIds.length} workflows (Temporal client)`);
  let lastPrint = t0;
  let last = 0;
  let finished = false;
  const all = Promise.all(Array.from({ length: opts.clients }, loop)).then(() => (finished = true));
  while (!finished) {
    await sleep(250);
    if (Date.now() - lastPrint >= 5000) {
      log(`floor (client): ${acked}/${workflowIds.length} acknowledged (${(((acked - last) * 1000) / (Date.now() - lastPrint)).toFixed(0)}/s), errors ${errors}`);
      lastPrint = Date.now();
      last = acked;
    }
  }
  await all;
  const ms = Date.now() - t0;
  log(`floor (client): ${acked} acknowledged in ${(ms / 1000).toFixed(1)} s (${((acked * 1000) / ms).toFixed(1)}/s)`);
  const latency = summarize(samples);
  return {
    acked,
    ms,
    errors,
    ...(latency ? { latency } : {}),
    cpu: cpu(),
    budgetHit: acked < workflowIds.length,
  };
}
