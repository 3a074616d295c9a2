/**
 * `--server both`: the whole benchmark twice in one run, back to back with the same
 * options — first on the dev server, then on the production server (`--server cluster`) —
 * each in a child process of its own (fresh stacks, nothing shared), then one table side by
 * side: delivery, acknowledgements per second, time to close, CPU seconds by process, and a
 * `COMPARE {json}` line with both RESULT lines.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { onCleanup } from './cleanup';
import { log, mib, secs } from './measure';

type Cpu = Record<string, number>;
interface Result {
  cascade?: {
    assignments?: number;
    deliveryMs?: number;
    ackMs?: number;
    ackCallsMs?: number;
    closeMs?: number;
    vmHwm?: number;
    cpuDelivery?: Cpu;
    cpuAck?: Cpu;
  };
  floor?: { ms: number; nodes: number; cpu: Cpu };
  floors?: { kind: string; ms: number; nodes: number; cpu: Cpu }[];
}

/** Runs bench/cascade.ts with `args` plus `--server <server>`; resolves with its RESULT. */
function runOne(server: 'dev' | 'cluster', args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.resolve(__dirname, '..', 'cascade.ts'), ...args, '--server', server],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    onCleanup(`${server} benchmark`, async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM'); // it cleans up its own stack
      await new Promise((r) => child.once('exit', r));
    });
    let result: Result | undefined;
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7)) as Result;
        process.stdout.write(`[${server}] ${line}\n`);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 && result
        ? resolve(result)
        : reject(new Error(`the ${server} benchmark failed (exit ${code})`)),
    );
  });
}

const cpuLine = (cpu?: Cpu) =>
  cpu
    ? Object.entries(cpu)
        .map(([k, v]) => `${k} ${Math.max(0, v).toFixed(0)} s`)
        .join(', ')
    : '–';
const cpuTotal = (cpu?: Cpu) =>
  cpu
    ? `${Object.values(cpu)
        .reduce((a, v) => a + Math.max(0, v), 0)
        .toFixed(0)} s`
    : '–';
const rate = (n?: number, ms?: number) =>
  n && ms ? `${secs(ms)} s (${((n * 1000) / ms).toFixed(1)}/s)` : '–';

/** Runs both benchmarks and prints them side by side. `argv` is the command line as given. */
export async function compareServers(argv: string[]): Promise<void> {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--server') i++;
    else args.push(argv[i]!);
  }
  log(
    `--server both: the benchmark on the dev server, then on the production server (${args.join(' ') || 'defaults'})`,
  );
  const dev = await runOne('dev', args);
  const cluster = await runOne('cluster', args);
  const floorOf = (r: Result) => r.floor ?? r.floors?.[0];
  const rows: Array<[string, (r: Result) => string]> = [
    ['floor: every node ran its activity', (r) => rate(floorOf(r)?.nodes, floorOf(r)?.ms)],
    ['floor: CPU', (r) => cpuLine(floorOf(r)?.cpu)],
    ['cascade: every unit DELIVERED', (r) => rate(r.cascade?.assignments, r.cascade?.deliveryMs)],
    ['cascade: CPU during delivery', (r) => cpuLine(r.cascade?.cpuDelivery)],
    ['cascade: CPU during delivery, total', (r) => cpuTotal(r.cascade?.cpuDelivery)],
    ['acknowledged (read model)', (r) => rate(r.cascade?.assignments, r.cascade?.ackMs)],
    [
      'acknowledged (last call returned)',
      (r) => rate(r.cascade?.assignments, r.cascade?.ackCallsMs),
    ],
    ['cascade: CPU during acks', (r) => cpuLine(r.cascade?.cpuAck)],
    ['cascade: CPU during acks, total', (r) => cpuTotal(r.cascade?.cpuAck)],
    ['closed after first ack', (r) => (r.cascade?.closeMs ? `${secs(r.cascade.closeMs)} s` : '–')],
    ['worker peak RSS', (r) => (r.cascade?.vmHwm ? mib(r.cascade.vmHwm) : '–')],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const devWidth = Math.max(10, ...rows.map(([, f]) => f(dev).length));
  console.log(
    `\n${''.padEnd(width)}  ${'dev server'.padEnd(devWidth)}  production server (4 shards, PostgreSQL)`,
  );
  for (const [label, f] of rows)
    console.log(`${label.padEnd(width)}  ${f(dev).padEnd(devWidth)}  ${f(cluster)}`);
  console.log(`COMPARE ${JSON.stringify({ dev, cluster })}`);
}
