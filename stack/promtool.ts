/**
 * Finds Prometheus's `promtool` (rule and exposition-format checks), or builds it from the Go
 * module proxy and caches it outside the clone, the way stack/temporal-cli.ts provides the
 * Temporal CLI. Order: PROMTOOL_PATH, the cache, `promtool` on PATH, then `go install`.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childEnv, loadConfig } from '../runtime/config';

/** Prometheus 3.x tags its Go module v0.3xx: v0.316.0 is the module of the pinned server image's line. */
export const PROMTOOL_VERSION = 'v0.316.0';

export function promtoolCacheDir(): string {
  const base = loadConfig().XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'directive-cascade', `promtool-${PROMTOOL_VERSION}`);
}

function onPath(name: string): string | undefined {
  for (const dir of loadConfig().PATH.split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

function runs(binary: string): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Returns a working `promtool`, building it if needed (several minutes the first time). */
export async function ensurePromtool(
  progress: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Promise<string> {
  const explicit = loadConfig().PROMTOOL_PATH;
  if (explicit) {
    if (!runs(explicit)) throw new Error(`PROMTOOL_PATH=${explicit} is not a runnable promtool`);
    return explicit;
  }
  const cached = path.join(promtoolCacheDir(), 'promtool');
  if (fs.existsSync(cached) && runs(cached)) return cached;
  const found = onPath('promtool');
  if (found && runs(found)) return found;
  return buildPromtool(cached, progress);
}

async function buildPromtool(target: string, progress: (line: string) => void): Promise<string> {
  const go = onPath('go');
  if (!go) {
    throw new Error(
      'promtool was not found and Go is not installed to build it.\n' +
        '  Install Go 1.24+ (https://go.dev/dl/ or `apt-get install golang`), or\n' +
        '  set PROMTOOL_PATH to an existing `promtool` binary.',
    );
  }
  const staging = `${path.dirname(target)}.partial-${process.pid}`;
  fs.mkdirSync(staging, { recursive: true });
  progress(`Building promtool ${PROMTOOL_VERSION} with Go (one time, about 10-20 minutes; cached in ${path.dirname(target)})`);
  const started = Date.now();
  const ticker = setInterval(
    () => progress(`  still building promtool… ${Math.round((Date.now() - started) / 1000)}s`),
    30_000,
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(go, ['install', `github.com/prometheus/prometheus/cmd/promtool@${PROMTOOL_VERSION}`], {
        env: childEnv({ GOBIN: staging, GOFLAGS: '-mod=mod' }),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let tail = '';
      child.stderr.on('data', (chunk: Buffer) => {
        tail = (tail + chunk.toString()).slice(-4000);
      });
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) resolve();
        else reject(new Error(`go install of promtool failed (exit ${code}):\n${tail}`));
      });
    });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(path.join(staging, 'promtool'), target);
    progress(`promtool built in ${Math.round((Date.now() - started) / 1000)}s: ${target}`);
    return target;
  } finally {
    clearInterval(ticker);
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Runs `promtool <args>` with `input` on stdin; its exit status and both outputs. */
export function runPromtool(promtool: string, args: string[], input?: string): { status: number; output: string } {
  const run = spawnSync(promtool, args, { input, encoding: 'utf8' });
  return { status: run.status ?? 1, output: `${run.stdout}${run.stderr}` };
}
