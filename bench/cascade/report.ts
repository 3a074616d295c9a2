/**
 * The benchmark's results: a two-column table (floors, cascade, ratios to each floor, RSS,
 * CPU by process, the machine's load beside each phase, API latencies), and one
 * `RESULT {json}` line with the options and raw numbers for scripts to collect.
 */
import type { UnitInput } from '../../domain/units/tree';
import type { CascadeResult } from './cascade-phase';
import type { FloorResult } from './floor';
import { latencyLine } from './http';
import { mib, secs } from './measure';
import type { Options } from './options';
import { waveLine } from './waves';

/** Everything one run measured. */
export interface ReportInput {
  opts: Options;
  units: UnitInput[];
  /** `the national tree`, `the national-2019 tree` or `K provinces of national`. */
  scope: string;
  floors: FloorResult[];
  cascade: CascadeResult;
}

const cpuLine = (cpu?: Record<string, number>) =>
  cpu
    ? Object.entries(cpu)
        .map(([k, v]) => `${k === 'bench' ? 'bench (clients)' : k} ${v.toFixed(0)} s`)
        .join(', ')
    : '–';

/**
 * Temporal + worker CPU (+ PostgreSQL, + the API's process) per workflow, in ms: less sensitive
 * to a shared machine than time. The benchmark's own process (simulated clients, probes) is left out.
 */
const cpuPer = (cpu: Record<string, number> | undefined, n: number) =>
  cpu ? (Object.entries(cpu).filter(([k]) => k !== 'bench').reduce((t, [, v]) => t + v, 0) * 1000) / n : NaN;

const loadLine = (l: [number, number]) => `load ${l[0].toFixed(1)} → ${l[1].toFixed(1)}`;

function ackLine({ cascade }: ReportInput): string {
  if (cascade.ackMs !== undefined) {
    const rate = ((cascade.assignments * 1000) / cascade.ackMs).toFixed(1);
    return `${secs(cascade.ackMs)} s (${rate} acks/s), ${cascade.ackErrors} failed calls`;
  }
  if (!cascade.ackPartial) return 'skipped';
  const { acked, ms } = cascade.ackPartial;
  const projected = secs((cascade.assignments * ms) / Math.max(1, acked));
  return `budget: ${acked} in ${secs(ms)} s (${((acked * 1000) / ms).toFixed(1)} acks/s) → all ${cascade.assignments} ≈ ${projected} s projected, ${cascade.ackErrors} failed calls`;
}

/** Acknowledgements the cascade got through (all of them unless time-boxed). */
const cascadeAcked = (c: CascadeResult) => c.ackPartial?.acked ?? (c.ackMs !== undefined ? c.assignments : 0);
const cascadeAckMs = (c: CascadeResult) => c.ackPartial?.ms ?? c.ackMs ?? 0;

const ackCpuPer = (c: CascadeResult) =>
  cascadeAcked(c) ? ` = ${cpuPer(c.cpuAck, cascadeAcked(c)).toFixed(0)} ms per ack` : '';

/** The cascade's acknowledgements against the ack floor, in rate and in CPU per ack. */
function ackRatios({ floors, cascade }: ReportInput): Array<[string, string]> {
  const floor = floors.find((f) => f.acks)?.acks;
  const acked = cascadeAcked(cascade);
  if (!floor || !acked || !floor.acked) return [];
  const rate = (acked * 1000) / cascadeAckMs(cascade);
  const floorRate = (floor.acked * 1000) / floor.ms;
  const cpuRatio = cpuPer(cascade.cpuAck, acked) / cpuPer(floor.cpu, floor.acked);
  return [
    [
      'cascade acks / ack floor',
      `${(rate / floorRate).toFixed(2)}× the floor's rate (${rate.toFixed(1)} vs ${floorRate.toFixed(1)}/s), ${cpuRatio.toFixed(2)}× its CPU per ack`,
    ],
  ];
}

/** Workflows a floor got through (all of them unless time-boxed). */
const n = (f: FloorResult) => f.reached ?? f.nodes;

/** Prints the table, the ratio line and the RESULT line on stdout. */
export function printReport(input: ReportInput): void {
  const { opts, units, scope, floors, cascade } = input;
  const target = cascade.assignments * cascade.directives;
  // Time-boxed phases (--budget) count what they reached; ratios then compare time per workflow.
  const delivered = cascade.reached ?? target;
  const partial = cascade.reached !== undefined || floors.some((f) => f.reached !== undefined);
  const rows: Array<[string, string]> = [
    ['tree', `${units.length} units (${scope})`],
    [
      'worker cache (units, parents), heap, stack traces',
      `${opts.cache ?? 'default'}, ${opts.parentsCache ?? 'default'}, ${opts.workerHeap !== undefined ? `--max-old-space-size=${opts.workerHeap}` : 'Node default'}, ${opts.stackTraces}`,
    ],
  ];
  for (const f of floors) {
    const starts = f.startsMs !== undefined ? `, starts done at ${secs(f.startsMs)} s` : '';
    rows.push(
      [
        `floor ${f.kind}: ${f.nodes} workflows`,
        `${f.reached !== undefined ? `budget: ${f.reached} in ` : ''}${secs(f.ms)} s (${((n(f) * 1000) / f.ms).toFixed(1)}/s)${starts}, ${loadLine(f.load)}`,
      ],
      [`floor ${f.kind}: worker peak RSS`, mib(f.vmHwm)],
      [`floor ${f.kind}: CPU`, `${cpuLine(f.cpu)} = ${cpuPer(f.cpu, n(f)).toFixed(0)} ms per workflow`],
    );
    if (f.acks) {
      const a = f.acks;
      rows.push(
        [
          `floor ${f.kind}: acknowledged (${opts.clients} clients, Temporal client)`,
          `${a.budgetHit ? 'budget: ' : ''}${a.acked} in ${secs(a.ms)} s (${((a.acked * 1000) / a.ms).toFixed(1)} acks/s), ${a.errors} failed calls`,
        ],
        [`floor ${f.kind}: acknowledge latency`, latencyLine(a.latency)],
        [`floor ${f.kind}: CPU during acks`, `${cpuLine(a.cpu)} = ${cpuPer(a.cpu, a.acked).toFixed(0)} ms per ack`],
      );
    }
  }
  rows.push(
    [
      `cascade: ${target} assignments DELIVERED (${cascade.directives} directive(s))`,
      `${cascade.reached !== undefined ? `budget: ${cascade.reached} in ` : ''}${secs(cascade.deliveryMs)} s (${((delivered * 1000) / cascade.deliveryMs).toFixed(1)}/s), ${loadLine(cascade.loadDelivery)}`,
    ],
    [
      'cascade: CPU during delivery',
      `${cpuLine(cascade.cpuDelivery)} = ${cpuPer(cascade.cpuDelivery, delivered).toFixed(0)} ms per assignment`,
    ],
  );
  for (const f of floors) {
    // The design floor fans out one tree; with several directives compare per directive.
    const comparable = f.kind === 'client' || cascade.directives === 1;
    const cpuRatio = cpuPer(cascade.cpuDelivery, delivered) / cpuPer(f.cpu, n(f));
    const timeRatio = partial
      ? `${(cascade.deliveryMs / delivered / (f.ms / n(f))).toFixed(2)}× in time per workflow (time-boxed)`
      : `${(cascade.deliveryMs / f.ms).toFixed(2)}× in time`;
    rows.push([
      `cascade / ${f.kind} floor`,
      `${comparable ? timeRatio : '– in time (one tree only)'}, ${cpuRatio.toFixed(2)}× in CPU per workflow`,
    ]);
  }
  // Which sizes the adaptive start waves took, from the levels that forwarded.
  rows.push(['cascade: start waves (size: count, time to start)', waveLine(cascade.waves)]);
  if (cascade.probeProgress || cascade.probeAck) {
    rows.push(
      ['during delivery: GET /directives/:id', latencyLine(cascade.probeProgress)],
      ['during delivery: POST …/acknowledge', latencyLine(cascade.probeAck)],
    );
  }
  rows.push(
    [`acknowledged (${opts.clients} clients, ${opts.acks})`, ackLine(input)],
    ['acknowledge latency (HTTP)', latencyLine(cascade.ackLatency)],
    ['cascade: CPU during acks', `${cpuLine(cascade.cpuAck)}${ackCpuPer(cascade)}`],
    ...ackRatios(input),
    [
      'whole cascade closed after first ack',
      cascade.closeMs !== undefined ? `${secs(cascade.closeMs)} s` : '–',
    ],
    ['cascade: worker peak RSS', mib(cascade.vmHwm)],
    ['cascade: worker at its sampled peak', peakLine(cascade.workerAtPeak)],
  );
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log('\n' + rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'));
  const client = floors.find((f) => f.kind === 'client');
  console.log(
    `\nratio to the client floor: ${client ? (cascade.deliveryMs / delivered / (client.ms / n(client))).toFixed(2) : 'n/a'} in time per workflow (target ≤ 1.2); ` +
      `worker peak ${mib(cascade.vmHwm)} (target < 1024 MiB)`,
  );
  console.log(`RESULT ${JSON.stringify({ opts, units: units.length, floors, cascade })}`);
}

/**
 * What the worker's highest sampled RSS was made of: V8's heap in use, what V8 tracks outside
 * it (buffers), and the rest — the Rust core's own allocations, the allocator's free pages,
 * code and thread stacks — which no heap limit bounds.
 */
function peakLine(p: CascadeResult['workerAtPeak']): string {
  if (!p) return '–';
  const rest = p.rss - p.heapUsed - p.external;
  return `RSS ${mib(p.rss)} = heap in use ${mib(p.heapUsed)} + external ${mib(p.external)} + native/other ${mib(rest)}`;
}
