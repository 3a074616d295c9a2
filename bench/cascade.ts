/**
 * `npm run bench:cascade [-- options]`: one directive over the national tree on a local
 * stack of its own (fresh headless Temporal dev server, embedded PostgreSQL in a temp dir
 * or DATABASE_URL), measured in the same run against floors on bare Temporal (--floors below).
 * The current figures and the commands that reproduce them: docs/performance.md.
 *
 * Options (`npm run bench:cascade -- --provinces 3`):
 *   --tree T           national (default: the 2025 tree, 34 provinces and 3,321 communes) or
 *                      national-2019 (63 provinces, 705 districts, 10,599 communes)
 *   --provinces K      only the first K provinces (and everything below them); quick runs
 *   --units N          the fewest leading provinces whose subtrees reach N units
 *   --clients N        concurrent simulated unit clients acknowledging (default 50)
 *   --floors LIST      floors to run, comma-separated: design, client, activity (default design,client); none
 *                      design: the tree fanned out parent to child, one start at a time per parent
 *                      client: one bare workflow per unit (activity + timer), 64 client starts in flight;
 *                      then (unless --skip-ack) the ack floor: --clients acknowledge each (an Update
 *                      running one activity, then the workflow closes), through the Temporal client
 *                      activity: prototype fan-out, each node's activity starts its children via the client
 *   --skip-floor       cascade only (= --floors none)   --skip-cascade  floors only   --skip-ack  delivery only
 *   --cache N          maxCachedWorkflows of every worker (default WORKER_MAX_CACHED_WORKFLOWS's default)
 *   --parents-cache N  the cascade worker's parents' cache (default WORKER_MAX_CACHED_PARENTS's default)
 *   --worker-heap MiB  the worker's V8 old-space limit (node --max-old-space-size; default the
 *                      deployed one, WORKER_MAX_HEAP_MB's default; 0 = Node's own)
 *   --stack-traces on|off  workflow stack traces in every worker, floors' too (WORKFLOW_STACK_TRACES;
 *                      default its default, off: on, the SDK's promise hook costs 24-39 % of the worker's CPU
 *                      on a national delivery, docs/performance.md)
 *   --acks api|client  acknowledge through the HTTP API (default; createApp on a listener, one
 *                      token per unit) or straight through the Temporal client
 *   --directives N     N directives issued together over the tree (default 1)
 *   --probe            while delivery runs, time GET /directives/:id (2/s) and acknowledge (1/s)
 *                      of delivered units; on by default when --directives > 1
 *   --server dev|cluster|both           Temporal for every phase: the dev server (default) or the
 *                      production server built from go.temporal.io/server 1.29.1 (PostgreSQL of its
 *                      own, 4 history shards; bench/cascade/cluster.ts); --temporal-db, --dev-config: dev only.
 *                      both: the whole run on each, back to back, then side by side (cascade/compare.ts)
 *   --temporal-db file|memory           dev server persistence (default file: fresh SQLite)
 *   --db-pool N        the cascade worker's PostgreSQL pool size (default 10)
 *   --worker-options JSON               overrides of the worker options (experiments)
 *   --dev-config K=V   extra dev server dynamic config (repeatable), e.g.
 *                      matching.numTaskqueueReadPartitions=1
 *   --budget S         stop each delivery phase (every floor, the cascade) after S seconds and
 *                      report how many it reached, at what rate (time-boxed runs on a busy machine)
 *   --ack-budget S     stop the simulated acks after S seconds and report the rate reached
 *   --floor-batch N    the design floor starts children in waves of N (default 1; 0 = all at once)
 *   --start-wave N     the cascade's CASCADE_START_WAVE: children each workflow starts per
 *                      workflow task (default: the setting's default)
 *   --close-timeout S  after the acks, wait up to S seconds for the whole cascade to close (default 300; 0 = skip)
 *   --observability off|on|both         on: the worker serves Temporal's SDK metrics, the dev server
 *                      its own, the API and the worker export spans over OTLP (to a sink in this
 *                      process), and every endpoint is scraped every 5 s during delivery, then 20
 *                      times in a row with the cascade open (time and CPU per scrape). both: four
 *                      cascades in one run, off, on, on, off, each on a fresh stack (default off)
 */
// (`--help` prints the comment above, up to its end; keep notes for readers below it.)
// The parts live in bench/cascade/: options (parsing, --help), measure (/proc probes and
// formats), cleanup (processes and files left behind), stack (dev server, PostgreSQL),
// worker-child (the measured worker process), floor, delivery, acks, cascade-phase (the
// cascade's phases wired), report (the table and RESULT line). This file wires the run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NATIONAL_ROOT_CODE } from '../domain/units/national';
import { ensureTemporalCli } from '../stack/temporal-cli';
import { runCascade } from './cascade/cascade-phase';
import { cleanup, installExitHandlers, onCleanup, trackTmpDir } from './cascade/cleanup';
import { runFloor, type FloorResult } from './cascade/floor';
import { log, mib, secs } from './cascade/measure';
import { parseArgs, provincesFor } from './cascade/options';
import { compareServers } from './cascade/compare';
import { printReport } from './cascade/report';
import { compareObservability } from './cascade/observability-compare';
import { withDevConfig } from './cascade/stack';
import { benchTree } from './tree';

installExitHandlers();

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.server === 'both') return compareServers(process.argv.slice(2));
  const provinces = provincesFor(opts);
  opts.provinces = provinces;
  const units = benchTree(provinces, opts.tree);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cascade-'));
  // As root, embedded PostgreSQL runs as the `postgres` user, which must traverse this dir.
  fs.chmodSync(tmp, 0o755);
  trackTmpDir(tmp);
  onCleanup('temp dir', async () => fs.rmSync(tmp, { recursive: true, force: true }));
  const scope =
    provinces === undefined ? `the ${opts.tree} tree` : `${provinces} provinces of ${opts.tree}`;
  log(
    `bench:cascade over ${scope}: ${units.length} units (${units.length - 1} below ${NATIONAL_ROOT_CODE}); temp ${tmp}`,
  );
  log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${mib(os.totalmem())}, node ${process.version}`,
  );
  const cli = withDevConfig(await ensureTemporalCli((line) => log(line)), tmp, opts.devConfig);

  log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; worker cache ${opts.cache ?? 'default'}`);
  const floors: FloorResult[] = [];
  for (const kind of opts.floors) floors.push(await runFloor(cli, tmp, opts, units, kind));
  if (opts.skipCascade) {
    for (const floor of floors) {
      const cpu = JSON.stringify(floor.cpu);
      log(`floor ${floor.kind}: ${secs(floor.ms)} s, worker peak RSS ${mib(floor.vmHwm)}, CPU ${cpu}`);
    }
    return;
  }
  if (opts.observability === 'both') {
    await compareObservability(cli, tmp, opts, units, floors);
    return;
  }
  const cascade = await runCascade(cli, tmp, opts, units);
  printReport({ opts, units, scope, floors, cascade });
}

main().then(
  () => cleanup().then(() => process.exit(0)),
  (err: unknown) => {
    console.error(err);
    return cleanup().then(() => process.exit(1));
  },
);
