/**
 * The delivery phase: issue one directive from the national root to every province through
 * the real use-case, then poll the read model until every unit below the root has its
 * assignment (DELIVERED), logging the rate every 5 s.
 */
import { issueDirectiveSchema } from '../../api/schemas';
import { issueDirective } from '../../api/use-cases/issue-directive';
import { NATIONAL_ROOT_CODE } from '../../domain/units/national';
import type { UnitInput } from '../../domain/units/tree';
import { cpuWindow, log, mib, secs, sleep } from './measure';
import type { AssignmentCounts, CascadeStack } from './stack';

/** How delivery went, and what the acknowledging phase continues from. */
export interface Delivery {
  directiveId: string;
  /** Every unit below the root, in tree order: one assignment each. */
  below: string[];
  deliveryMs: number;
  cpuDelivery: Record<string, number>;
  /** The read model's counts when delivery completed. */
  counts: AssignmentCounts;
}

/** Issues the benchmark directive over `units` and waits until all of it is delivered. */
export async function deliver(stack: CascadeStack, units: UnitInput[]): Promise<Delivery> {
  const { db, client, taskQueue, worker } = stack;
  const provinces = units.filter((u) => u.parentCode === NATIONAL_ROOT_CODE).map((u) => u.code);
  const below = units.filter((u) => u.code !== NATIONAL_ROOT_CODE).map((u) => u.code);
  const target = below.length;
  const body = issueDirectiveSchema.parse({
    number: `BENCH-${Date.now().toString(36)}`,
    kind: 'Công văn',
    title: 'Benchmark directive to the whole national tree',
    issuerCode: NATIONAL_ROOT_CODE,
    issuedAt: new Date().toISOString(),
    recipients: provinces,
    policy: { ackWithin: 'P7D', concretizeLevels: [], relay: 'on_delivery', escalation: [] },
  });

  const cpuDeliveryWindow = cpuWindow(stack.probes);
  const t0 = Date.now();
  const { id } = await issueDirective({ db, client, taskQueue, maxFanout: 500 }, body);
  log(
    `cascade: directive ${id} issued to ${provinces.length} provinces; waiting for ${target} deliveries`,
  );
  let lastPrint = t0;
  let last = 0;
  let c: AssignmentCounts = { total: 0, acked: 0 };
  while (c.total < target) {
    await sleep(250);
    if (worker.proc.exitCode !== null) throw new Error('the cascade worker died');
    c = await stack.counts(id);
    if (Date.now() - lastPrint >= 5000) {
      const rate = ((c.total - last) * 1000) / (Date.now() - lastPrint);
      log(
        `cascade: ${c.total}/${target} delivered (${rate.toFixed(0)}/s), worker RSS ${mib(worker.rssPeakSampled)}`,
      );
      lastPrint = Date.now();
      last = c.total;
    }
  }
  const deliveryMs = Date.now() - t0;
  const cpuDelivery = cpuDeliveryWindow();
  log(
    `cascade: all ${target} delivered in ${secs(deliveryMs)} s (${((target * 1000) / deliveryMs).toFixed(0)}/s)`,
  );
  return { directiveId: id, below, deliveryMs, cpuDelivery, counts: c };
}
