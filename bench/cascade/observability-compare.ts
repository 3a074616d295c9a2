/**
 * `--observability both`: four cascades in one run, each on a fresh stack torn down before
 * the next, in the order off, on, on, off, so that a machine whose load drifts during the run
 * weighs on both variants alike. Prints each cascade against the client floor, then the mean
 * of each variant and the cost of a scrape of every endpoint.
 */
import path from 'node:path';
import type { UnitInput } from '../../domain/units/tree';
import { runCascade, type CascadeResult } from './cascade-phase';
import { cleanupMark, cleanupSince } from './cleanup';
import type { FloorResult } from './floor';
import { log, secs } from './measure';
import type { Options } from './options';

const ORDER = ['off', 'on', 'on', 'off'] as const;

const cpuTotal = (cpu: Record<string, number>) => Object.entries(cpu).filter(([k]) => k !== 'bench').reduce((s, [, v]) => s + v, 0);

export async function compareObservability(cli: string, tmp: string, opts: Options, units: UnitInput[], floors: FloorResult[]): Promise<void> {
  const floor = floors.find((f) => f.kind === 'client');
  const results: CascadeResult[] = [];
  for (const [i, variant] of ORDER.entries()) {
    const mark = cleanupMark();
    log(`observability: cascade ${i + 1} of ${ORDER.length}, metrics and traces ${variant}`);
    results.push(await runCascade(cli, path.join(tmp, `cascade-${i + 1}`), { ...opts, observability: variant }, units));
    await cleanupSince(mark);
  }
  const line = (r: CascadeResult) => {
    const ms = r.deliveryMs;
    const cpuMs = (cpuTotal(r.cpuDelivery) * 1000) / r.assignments;
    const ratio = floor ? ` = ${(ms / floor.ms).toFixed(2)}× the client floor` : '';
    return `${r.observability.padEnd(3)}: ${secs(ms)} s${ratio}, ${cpuMs.toFixed(1)} ms CPU per workflow, load ${r.loadDelivery.map((l) => l.toFixed(1)).join('→')}`;
  };
  log('observability: delivery of each cascade, in the order run');
  for (const r of results) log(`  ${line(r)}`);
  for (const variant of ['off', 'on'] as const) {
    const runs = results.filter((r) => r.observability === variant);
    const mean = runs.reduce((s, r) => s + r.deliveryMs, 0) / runs.length;
    log(`  mean ${variant}: ${secs(mean)} s${floor ? ` = ${(mean / floor.ms).toFixed(2)}× the client floor (${secs(floor.ms)} s)` : ''}`);
  }
  for (const r of results.filter((x) => x.scrapeBurst)) {
    for (const [label, b] of Object.entries(r.scrapeBurst!)) {
      const during = r.scrapesDuringDelivery?.[label];
      log(
        `  scrape ${label}: ${b.bytes} bytes; cascade open: p50 ${b.p50Ms} ms, max ${b.maxMs} ms, ${b.cpuMsPerScrape} ms CPU (+${b.postgresCpuMsPerScrape} ms PostgreSQL) each; during delivery: p50 ${during?.p50Ms} ms, max ${during?.maxMs} ms over ${during?.scrapes} (${during?.failed} failed)`,
      );
    }
    log(`  spans exported: ${r.otlp?.requests} OTLP requests, ${r.otlp?.bytes} bytes`);
  }
  console.log(`RESULT ${JSON.stringify({ floorMs: floor?.ms, cascades: results })}`);
}
