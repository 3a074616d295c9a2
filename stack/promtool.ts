/**
 * Finds Prometheus's `promtool` (rule and exposition-format checks), or builds it from the Go
 * module proxy and caches it outside the clone, the way stack/temporal-cli.ts provides the
 * Temporal CLI. Order: PROMTOOL_PATH, the cache, `promtool` on PATH, then `go install`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../runtime/config';
import { cacheRoot, goInstall, onPath, type Progress } from './temporal-server-build';

/** Prometheus 3.x tags its Go module v0.3xx: v0.316.0 is the module of the pinned server image's line. */
export const PROMTOOL_VERSION = 'v0.316.0';

export function promtoolCacheDir(): string {
  return path.join(cacheRoot(), `promtool-${PROMTOOL_VERSION}`);
}

function runs(binary: string): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Returns a working `promtool`, building it if needed (10-20 minutes the first time). */
export async function ensurePromtool(progress: Progress = (l) => process.stderr.write(`${l}\n`)): Promise<string> {
  const explicit = loadConfig().PROMTOOL_PATH;
  if (explicit) {
    if (!runs(explicit)) throw new Error(`PROMTOOL_PATH=${explicit} is not a runnable promtool`);
    return explicit;
  }
  const cached = path.join(promtoolCacheDir(), 'promtool');
  if (fs.existsSync(cached) && runs(cached)) return cached;
  const found = onPath('promtool');
  if (found && runs(found)) return found;
  await goInstall(
    {
      what: `promtool ${PROMTOOL_VERSION}`,
      hint: 'PROMTOOL_PATH to an existing promtool binary',
      packages: [{ pkg: `github.com/prometheus/prometheus/cmd/promtool@${PROMTOOL_VERSION}`, built: 'promtool', as: 'promtool' }],
      dir: promtoolCacheDir(),
      minutes: '10-20',
    },
    progress,
  );
  return cached;
}

/** Runs `promtool <args>` with `input` on stdin; its exit status and both outputs. */
export function runPromtool(promtool: string, args: string[], input?: string): { status: number; output: string } {
  const run = spawnSync(promtool, args, { input, encoding: 'utf8' });
  return { status: run.status ?? 1, output: `${run.stdout}${run.stderr}` };
}
