/**
 * Schemathesis (PyPI), the contract fuzzer the API is tested with: installed once into a
 * virtual environment outside the clone, `~/.cache/directive-cascade/schemathesis-<v>/`,
 * and reused. Needs `python3` with the venv module; `SCHEMATHESIS_PATH` points at an
 * existing `st` instead.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../runtime/config';

/** The version the contract test is written against (its checks and config keys). */
export const SCHEMATHESIS_VERSION = '4.32.5';

const cacheDir = () =>
  path.join(loadConfig().XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'directive-cascade', `schemathesis-${SCHEMATHESIS_VERSION}`);

function run(command: string, args: string[], what: string, timeoutMs: number): string {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs });
  if (r.error || r.status !== 0) {
    const detail = r.error?.message ?? `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`${what} failed: ${detail}`);
  }
  return r.stdout;
}

/** The path of a working `st` of SCHEMATHESIS_VERSION, installing it on first use. */
export function ensureSchemathesis(say: (line: string) => void = () => undefined): string {
  const configured = loadConfig().SCHEMATHESIS_PATH;
  if (configured) return configured;
  const dir = cacheDir();
  const st = path.join(dir, 'bin', 'st');
  const ready = path.join(dir, '.installed');
  if (fs.existsSync(ready) && fs.existsSync(st)) return st;
  say(`Installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${dir} (once)`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  run('python3', ['-m', 'venv', dir], 'python3 -m venv (install python3 and python3-venv)', 120_000);
  run(
    path.join(dir, 'bin', 'pip'),
    ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`],
    `pip install schemathesis==${SCHEMATHESIS_VERSION}`,
    600_000,
  );
  const version = run(st, ['--version'], 'st --version', 60_000);
  if (!version.includes(SCHEMATHESIS_VERSION)) throw new Error(`unexpected schemathesis version: ${version.trim()}`);
  fs.writeFileSync(ready, `${version.trim()}\n`);
  return st;
}

if (require.main === module) {
  process.stdout.write(`${ensureSchemathesis((l) => process.stderr.write(`${l}\n`))}\n`);
}
