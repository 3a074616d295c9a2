/**
 * The command line of `npm run bench:cascade`: parsing, `--help`, and turning `--units N`
 * into a number of provinces. The options themselves are documented once, in the header
 * of the entry file (bench/cascade.ts), which `--help` prints.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_NATIONAL_TREE,
  NATIONAL_ROOT_CODE,
  NATIONAL_TREES,
  isNationalTreeName,
  type NationalTreeName,
} from '../../domain/units/national';
import { benchTree } from '../tree';
import { configSchema } from '../../runtime/config';

/** The entry file whose header documents the options. */
const ENTRY = path.resolve(__dirname, '..', 'cascade.ts');

/** Parsed options; see the entry file's header for what each one does. */
export interface Options {
  tree: NationalTreeName;
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
  /** The cascade's CASCADE_START_WAVE: children one workflow starts per workflow task. */
  startWave?: number;
  /**
   * Temporal to run on: the dev server (SQLite, 1 shard), the production server (PostgreSQL,
   * 4 shards), or `both`: the whole benchmark on each, back to back (./compare.ts).
   */
  server: 'dev' | 'cluster' | 'both';
  /** Which floors to run, in this order (`--skip-floor` = none). */
  floors: Array<'design' | 'client' | 'activity'>;
  /** maxCachedWorkflows of every worker of the run; unset = WORKER_MAX_CACHED_WORKFLOWS's default. */
  cache?: number;
  /** The cascade worker's parents' cache (WORKER_MAX_CACHED_PARENTS); unset = its default. */
  parentsCache?: number;
  /** Stop each delivery phase (floors, cascade) after this many seconds and report the rate reached. */
  budgetS?: number;
  /**
   * The worker's V8 old-space limit in MiB (--max-old-space-size): by default the deployed
   * one (WORKER_MAX_HEAP_MB's default, which every launcher passes); unset = Node's default.
   */
  workerHeap?: number;
  /** Workflow stack traces in every worker of the run, floors' too (WORKFLOW_STACK_TRACES; default its default). */
  stackTraces: 'on' | 'off';
  /** Acknowledge through the HTTP API (createApp on a listener) or the Temporal client. */
  acks: 'api' | 'client';
  /** Directives issued together over the tree. */
  directives: number;
  /** Probe GET /directives/:id and acknowledge latency while delivery runs. */
  probe: boolean;
  /**
   * Metrics and tracing of the cascade's processes: off, on (every endpoint scraped, spans
   * exported over OTLP), or both (four cascades in one run, off/on/on/off).
   */
  observability: 'off' | 'on' | 'both';
}

/** The usage text: the entry file's header comment, up to its closing marker. */
export function usage(): string {
  return fs.readFileSync(ENTRY, 'utf8').split('*/')[0]!;
}

/** Parses the arguments after `--`; prints the usage and exits on `--help`, throws on bad input. */
export function parseArgs(argv: string[]): Options {
  // Key order matters only for the RESULT line, which prints the options as JSON.
  const o: Options = {
    tree: DEFAULT_NATIONAL_TREE,
    clients: 50,
    skipFloor: false,
    skipAck: false,
    skipCascade: false,
    temporalDb: 'file',
    dbPool: 10,
    closeTimeoutS: 300,
    devConfig: [],
    floorBatch: 1,
    server: 'dev',
    floors: ['design', 'client'],
    acks: 'api',
    directives: 1,
    probe: false,
    observability: 'off',
    // Measured as deployed: the launchers cap the worker's heap (runtime/config.ts).
    workerHeap: configSchema.shape.WORKER_MAX_HEAP_MB.parse(undefined),
    stackTraces: configSchema.shape.WORKFLOW_STACK_TRACES.parse(undefined),
  };
  let probeSet = false;
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
    if (a === '--tree') {
      const v = value();
      if (!isNationalTreeName(v)) {
        throw new Error(`--tree is one of ${Object.keys(NATIONAL_TREES).join(', ')}`);
      }
      o.tree = v;
    } else if (a === '--provinces') o.provinces = int();
    else if (a === '--units') o.units = int();
    else if (a === '--clients') o.clients = Math.max(1, int());
    else if (a === '--skip-floor') {
      o.skipFloor = true;
      o.floors = [];
    } else if (a === '--floors') {
      const v = value();
      const list = v === 'none' ? [] : v.split(',');
      if (!list.every((f) => f === 'design' || f === 'client' || f === 'activity')) {
        throw new Error('--floors is a comma list of design, client, activity, or none');
      }
      o.floors = list as Options['floors'];
      o.skipFloor = list.length === 0;
    } else if (a === '--cache') o.cache = Math.max(1, int());
    else if (a === '--parents-cache') o.parentsCache = Math.max(1, int());
    else if (a === '--budget') o.budgetS = Math.max(1, int());
    else if (a === '--worker-heap') {
      const mib = int();
      if (mib === 0) delete o.workerHeap;
      else o.workerHeap = Math.max(64, mib);
    }
    else if (a === '--stack-traces') {
      const v = value();
      if (v !== 'on' && v !== 'off') throw new Error('--stack-traces is on or off');
      o.stackTraces = v;
    }
    else if (a === '--acks') {
      const v = value();
      if (v !== 'api' && v !== 'client') throw new Error('--acks is api or client');
      o.acks = v;
    } else if (a === '--directives') o.directives = Math.max(1, int());
    else if (a === '--probe') {
      o.probe = true;
      probeSet = true;
    }
    else if (a === '--server') {
      const v = value();
      if (v !== 'dev' && v !== 'cluster' && v !== 'both') throw new Error('--server is dev, cluster or both');
      o.server = v;
    }
    else if (a === '--observability') {
      const v = value();
      if (v !== 'off' && v !== 'on' && v !== 'both') throw new Error('--observability is off, on or both');
      o.observability = v;
    }
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
    else if (a === '--start-wave') o.startWave = Math.max(1, int());
    else if (a === '--ack-budget') o.ackBudgetS = int();
    else if (a === '--close-timeout') o.closeTimeoutS = int();
    else if (a === '--help' || a === '-h') {
      console.log(usage());
      process.exit(0);
    } else throw new Error(`unknown option ${a} (try --help)`);
  }
  if (!probeSet) o.probe = o.directives > 1;
  return o;
}

/**
 * The number of leading provinces to keep: `--provinces K` as given, else the fewest whose
 * subtrees reach `--units N`, else undefined (the whole national tree).
 */
export function provincesFor(opts: Options): number | undefined {
  if (opts.provinces !== undefined || opts.units === undefined) return opts.provinces;
  const count = benchTree(undefined, opts.tree).filter(
    (u) => u.parentCode === NATIONAL_ROOT_CODE,
  ).length;
  for (let k = 1; k <= count; k++) if (benchTree(k, opts.tree).length >= opts.units) return k;
  return count;
}
