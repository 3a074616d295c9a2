/**
 * The benchmark's results: a two-column table, the ratio to the floor against its targets,
 * and one `RESULT {json}` line with the options and raw numbers for scripts to collect.
 */
import type { UnitInput } from '../../domain/units/tree';
import type { CascadeResult } from './cascade-phase';
import type { FloorResult } from './floor';
import { mib, secs } from './measure';
import type { Options } from './options';

/** Everything one run measured. */
export interface ReportInput {
  opts: Options;
  units: UnitInput[];
  /** `the national tree`, `the national-2019 tree` or `K provinces of national`. */
  scope: string;
  floor?: FloorResult;
  cascade: CascadeResult;
}

const cpuLine = (cpu?: Record<string, number>) =>
  cpu
    ? Object.entries(cpu)
        .map(([k, v]) => `${k} ${v.toFixed(0)} s`)
        .join(', ')
    : '–';

function ackLine({ cascade }: ReportInput): string {
  if (cascade.ackMs !== undefined) {
    const rate = ((cascade.assignments * 1000) / cascade.ackMs).toFixed(0);
    return `${secs(cascade.ackMs)} s (${rate} acks/s), ${cascade.ackErrors} failed calls`;
  }
  if (!cascade.ackPartial) return 'skipped';
  const { acked, ms } = cascade.ackPartial;
  const projected = secs((cascade.assignments * ms) / Math.max(1, acked));
  return `budget: ${acked} in ${secs(ms)} s (${((acked * 1000) / ms).toFixed(1)} acks/s) → all ${cascade.assignments} ≈ ${projected} s projected`;
}

/** Prints the table, the ratio line and the RESULT line on stdout. */
export function printReport(input: ReportInput): void {
  const { opts, units, scope, floor, cascade } = input;
  const rows: Array<[string, string]> = [
    ['tree', `${units.length} units (${scope})`],
    [
      'floor: every node ran its activity',
      floor
        ? `${secs(floor.ms)} s (${((floor.nodes * 1000) / floor.ms).toFixed(0)} nodes/s)`
        : 'skipped',
    ],
    ['floor: worker peak RSS', floor ? mib(floor.vmHwm) : '–'],
    ['floor: CPU', cpuLine(floor?.cpu)],
    [
      'cascade: every unit DELIVERED',
      `${secs(cascade.deliveryMs)} s (${((cascade.assignments * 1000) / cascade.deliveryMs).toFixed(0)} units/s)`,
    ],
    ['cascade: CPU during delivery', cpuLine(cascade.cpuDelivery)],
    ['cascade / floor', floor ? `${(cascade.deliveryMs / floor.ms).toFixed(2)}×` : '–'],
    [`acknowledged (${opts.clients} clients)`, ackLine(input)],
    ['cascade: CPU during acks', cpuLine(cascade.cpuAck)],
    [
      'whole cascade closed after first ack',
      cascade.closeMs !== undefined ? `${secs(cascade.closeMs)} s` : '–',
    ],
    ['cascade: worker peak RSS', mib(cascade.vmHwm)],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log('\n' + rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'));
  console.log(
    `\nratio to floor: ${floor ? (cascade.deliveryMs / floor.ms).toFixed(2) : 'n/a'} (target ≤ 1.5); ` +
      `delivery ${secs(cascade.deliveryMs)} s (target < 180 s)`,
  );
  console.log(`RESULT ${JSON.stringify({ opts, units: units.length, floor, cascade })}`);
}
