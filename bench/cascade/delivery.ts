/**
 * The delivery phase: issue one directive (or `--directives N` together) from the national
 * root to every province through the real use-case, then poll the read model until every
 * unit below the root has its assignment (DELIVERED) in every directive, logging the rate
 * every 5 s. With `--probe`, meanwhile, time the API as its users would see it: GET
 * /directives/:id (progress) twice a second, and acknowledge of a delivered unit once a second.
 */
import os from 'node:os';
import { issueDirectiveSchema } from '../../api/schemas';
import { issueDirective } from '../../api/use-cases/issue-directive';
import { createStore } from '../../read-model/store';
import { configSchema } from '../../runtime/config';
import { NATIONAL_ROOT_CODE } from '../../domain/units/national';
import type { UnitInput } from '../../domain/units/tree';
import { summarize, timedCall, type LatencySummary, type Timed } from './http';
import { sleep } from '../../stack/wait';
import { cpuWindow, log, mib, secs } from './measure';
import type { Options } from './options';
import type { AssignmentCounts, CascadeStack } from './stack';

/** How delivery went, and what the acknowledging phase continues from. */
export interface Delivery {
  /** The first directive: the one the acknowledging phase works on. */
  directiveId: string;
  directiveIds: string[];
  /** Every unit below the root, in tree order: one assignment each per directive. */
  below: string[];
  deliveryMs: number;
  /** Set when --budget stopped the wait: assignments delivered by then (all directives). */
  reached?: number;
  cpuDelivery: Record<string, number>;
  /** The first directive's counts when delivery completed. */
  counts: AssignmentCounts;
  /** 1-minute load average before and after. */
  load: [number, number];
  /** With --probe: latencies seen while delivery ran. */
  probeProgress?: LatencySummary;
  probeAck?: LatencySummary;
}

function directiveBody(provinces: string[], n: number) {
  return issueDirectiveSchema.parse({
    number: `BENCH-${Date.now().toString(36)}-${n}`,
    kind: 'Công văn',
    title: `Benchmark directive ${n} to the whole national tree`,
    issuerCode: NATIONAL_ROOT_CODE,
    issuedAt: new Date().toISOString(),
    recipients: provinces,
    policy: { ackWithin: 'P7D', concretizeLevels: [], relay: 'on_delivery', escalation: [] },
  });
}

/** Probers hitting the API until `stop()`; returns what they saw. */
function startProbes(stack: CascadeStack, ids: string[]) {
  const progress: Timed[] = [];
  const acks: Timed[] = [];
  let running = true;
  const paced = async (everyMs: number, fn: () => Promise<void>) => {
    while (running) {
      const t0 = Date.now();
      await fn();
      await sleep(Math.max(0, everyMs - (Date.now() - t0)));
    }
  };
  const getLoop = paced(500, async () => {
    const id = ids[Math.floor(Math.random() * ids.length)]!;
    progress.push(await timedCall(stack.api, 'GET', `/directives/${encodeURIComponent(id)}`, stack.api.adminToken));
  });
  const ackLoop = paced(1000, async () => {
    const [row] = await stack.unacked(ids, 1);
    if (!row) return;
    const token = stack.api.tokens.get(row.unitCode)!;
    const path = `/directives/${encodeURIComponent(row.directiveId)}/units/${encodeURIComponent(row.unitCode)}/acknowledge`;
    acks.push(await timedCall(stack.api, 'POST', path, token, {}));
  });
  return async () => {
    running = false;
    await Promise.all([getLoop, ackLoop]);
    return { probeProgress: summarize(progress), probeAck: summarize(acks) };
  };
}

/** Issues the benchmark directive(s) over `units` and waits until all of it is delivered. */
export async function deliver(stack: CascadeStack, units: UnitInput[], opts: Options): Promise<Delivery> {
  const { db, client, taskQueue, worker } = stack;
  const provinces = units.filter((u) => u.parentCode === NATIONAL_ROOT_CODE).map((u) => u.code);
  const below = units.filter((u) => u.code !== NATIONAL_ROOT_CODE).map((u) => u.code);
  const n = opts.directives;
  const target = below.length * n;

  const cpuDeliveryWindow = cpuWindow(stack.probes);
  const load0 = os.loadavg()[0]!;
  const t0 = Date.now();
  const ids = (
    await Promise.all(
      Array.from({ length: n }, (_, k) =>
        issueDirective(
          { store: createStore(db), client, taskQueue, maxFanout: 500, startWave: opts.startWave ?? configSchema.shape.CASCADE_START_WAVE.parse(undefined) },
          { kind: 'admin', id: 'admin' },
          directiveBody(provinces, k + 1),
        ),
      ),
    )
  ).map((d) => d.id);
  log(
    `cascade: ${n} directive(s) issued to ${provinces.length} provinces; waiting for ${target} deliveries (load ${load0.toFixed(1)})`,
  );
  const stopProbes = opts.probe ? startProbes(stack, ids) : undefined;
  let lastPrint = t0;
  let last = 0;
  let c: AssignmentCounts = { total: 0, acked: 0 };
  const deadline = opts.budgetS !== undefined ? t0 + opts.budgetS * 1000 : Infinity;
  while (c.total < target && Date.now() < deadline) {
    await sleep(250);
    if (worker.proc.exitCode !== null) throw new Error('the cascade worker died');
    c = await stack.counts(ids);
    if (Date.now() - lastPrint >= 5000) {
      const rate = ((c.total - last) * 1000) / (Date.now() - lastPrint);
      log(
        `cascade: ${c.total}/${target} delivered (${rate.toFixed(0)}/s), worker RSS ${mib(worker.rssPeakSampled)}, load ${os.loadavg()[0]!.toFixed(1)}`,
      );
      lastPrint = Date.now();
      last = c.total;
    }
  }
  const deliveryMs = Date.now() - t0;
  const cpuDelivery = cpuDeliveryWindow();
  const load: [number, number] = [load0, os.loadavg()[0]!];
  const probes = stopProbes ? await stopProbes() : {};
  const reached = c.total < target ? c.total : undefined;
  log(
    `cascade: ${c.total}/${target} delivered in ${secs(deliveryMs)} s (${((c.total * 1000) / deliveryMs).toFixed(1)}/s)`,
  );
  return {
    directiveId: ids[0]!,
    directiveIds: ids,
    below,
    deliveryMs,
    ...(reached !== undefined ? { reached } : {}),
    cpuDelivery,
    counts: await stack.counts(ids[0]!),
    load,
    ...probes,
  };
}
