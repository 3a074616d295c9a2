/**
 * The cascade phase, wired: start its stack, deliver, acknowledge (unless --skip-ack),
 * wait for the close (unless --close-timeout 0 or the ack budget ran out), stop the worker.
 */
import type { UnitInput } from '../../domain/units/tree';
import { acknowledgeAll, waitForClose } from './acks';
import { deliver } from './delivery';
import type { LatencySummary } from './http';
import type { Options } from './options';
import { startCascadeStack } from './stack';
import type { WaveSummary } from './waves';
import { scrapeBurst, startScraper, type BurstSummary, type ScrapeSummary } from './observability';

/** How the cascade went; printed in the table and, as JSON, on the RESULT line. */
export interface CascadeResult {
  /** Assignments per directive. */
  assignments: number;
  directives: number;
  /** Until every directive's every assignment was DELIVERED. */
  deliveryMs: number;
  /** Set when --budget stopped delivery: assignments delivered by then (all directives). */
  reached?: number;
  loadDelivery: [number, number];
  probeProgress?: LatencySummary;
  probeAck?: LatencySummary;
  ackLatency?: LatencySummary;
  ackMs?: number;
  ackCallsMs?: number;
  ackErrors?: number;
  /** Set when --ack-budget stopped the acks early. */
  ackPartial?: { acked: number; ms: number };
  closeMs?: number;
  /** The worker's peak RSS, in bytes. */
  vmHwm: number;
  /** At the highest sampled RSS: V8's heap in use and its external memory, in bytes. */
  workerAtPeak?: { rss: number; heapUsed: number; external: number };
  cpuDelivery: Record<string, number>;
  cpuAck?: Record<string, number>;
  /** The forwarding levels' start waves by size, read once delivery ended. */
  waves?: WaveSummary;
  /** --observability: on or off for this cascade. */
  observability: 'on' | 'off';
  /** With it on: scrapes every 5 s during delivery, by endpoint. */
  scrapesDuringDelivery?: Record<string, ScrapeSummary>;
  /** … and 20 scrapes in a row per endpoint right after delivery, the cascade open. */
  scrapeBurst?: Record<string, BurstSummary>;
  /** … and the spans exported over OTLP during the phase. */
  otlp?: { requests: number; bytes: number };
}

/** Runs the cascade over `units`; its stack is left to the cleanup registry. */
export async function runCascade(
  cli: string,
  tmp: string,
  opts: Options,
  units: UnitInput[],
): Promise<CascadeResult> {
  const stack = await startCascadeStack(cli, tmp, opts, units);
  const observed = stack.observability;
  const stopScraper = observed ? startScraper(observed.endpoints) : undefined;
  const delivery = await deliver(stack, units, opts);
  const scrapesDuringDelivery = stopScraper ? await stopScraper() : undefined;
  const burst = observed ? await scrapeBurst(observed.endpoints, observed.postgresPid) : undefined;
  // Keys in the order the RESULT line has always printed them.
  const result: CascadeResult = {
    assignments: delivery.below.length,
    directives: delivery.directiveIds.length,
    deliveryMs: delivery.deliveryMs,
    ...(delivery.reached !== undefined ? { reached: delivery.reached } : {}),
    loadDelivery: delivery.load,
    ...(delivery.probeProgress ? { probeProgress: delivery.probeProgress } : {}),
    ...(delivery.probeAck ? { probeAck: delivery.probeAck } : {}),
    vmHwm: 0,
    cpuDelivery: delivery.cpuDelivery,
    waves: await stack.waves(delivery.directiveIds),
    observability: observed ? 'on' : 'off',
    ...(scrapesDuringDelivery ? { scrapesDuringDelivery } : {}),
    ...(burst ? { scrapeBurst: burst } : {}),
  };

  if (!opts.skipAck && delivery.reached === undefined) {
    const acks = await acknowledgeAll(stack, opts, delivery);
    if (acks.ackPartial) result.ackPartial = acks.ackPartial;
    if (acks.ackMs !== undefined) result.ackMs = acks.ackMs;
    result.ackCallsMs = acks.ackCallsMs;
    result.ackErrors = acks.ackErrors;
    result.cpuAck = acks.cpuAck;
    if (acks.latency) result.ackLatency = acks.latency;
    if (opts.closeTimeoutS > 0 && !acks.budgetHit) {
      const closeMs = await waitForClose(
        stack.client,
        delivery.directiveId,
        opts.closeTimeoutS,
        acks.startedAt,
      );
      if (closeMs !== undefined) result.closeMs = closeMs;
    }
  }

  if (observed) result.otlp = observed.sink.received();
  const { vmHwm } = await stack.worker.stop();
  result.vmHwm = Math.max(vmHwm, stack.worker.rssPeakSampled);
  if (stack.worker.atPeak) result.workerAtPeak = { rss: stack.worker.rssPeakSampled, ...stack.worker.atPeak };
  return result;
}
