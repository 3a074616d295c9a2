/**
 * Finds the Temporal CLI (dev server with the Web UI built in), or builds it from the Go
 * module proxy and caches it outside the clone so later runs are instant.
 * Order: TEMPORAL_CLI_PATH, the cache, `temporal` on PATH, then `go install`.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, childEnv } from '../runtime/config';

/** v1.5.1 embeds server 1.29.1; later tags carry a `replace` directive `go install` refuses. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

export function cacheDir(): string {
  const base = loadConfig().XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'directive-cascade', `temporal-cli-${TEMPORAL_CLI_VERSION}`);
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

/** Returns a working `temporal` binary, building it if needed. Progress goes to `progress`. */
export async function ensureTemporalCli(
  progress: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Promise<string> {
  const explicit = loadConfig().TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!runs(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} is not a runnable Temporal CLI`);
    return explicit;
  }
  const cached = path.join(cacheDir(), 'temporal');
  if (fs.existsSync(cached) && runs(cached)) return cached;
  const found = onPath('temporal');
  if (found && runs(found)) return found;
  return buildTemporalCli(cached, progress);
}

async function buildTemporalCli(target: string, progress: (line: string) => void): Promise<string> {
  const go = onPath('go');
  if (!go) {
    throw new Error(
      'The Temporal CLI was not found and Go is not installed to build it.\n' +
        '  Install Go 1.22+ (https://go.dev/dl/ or `apt-get install golang`), or\n' +
        '  set TEMPORAL_CLI_PATH to an existing `temporal` binary.',
    );
  }
  const staging = `${path.dirname(target)}.partial-${process.pid}`;
  fs.mkdirSync(staging, { recursive: true });
  progress(
    `Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go (one time, about 5-10 minutes; cached in ${path.dirname(target)})`,
  );
  const started = Date.now();
  const ticker = setInterval(
    () => progress(`  still building the Temporal CLI… ${Math.round((Date.now() - started) / 1000)}s`),
    20_000,
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(go, ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
        env: childEnv({ GOBIN: staging, GOFLAGS: '-mod=mod' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let downloads = 0;
      let tail = '';
      child.stderr.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        tail = (tail + text).slice(-4000);
        downloads += (text.match(/go: downloading/g) ?? []).length;
      });
      const dl = setInterval(() => downloads && progress(`  fetched ${downloads} Go modules`), 20_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearInterval(dl);
        if (code === 0) resolve();
        else reject(new Error(`go install of the Temporal CLI failed (exit ${code}):\n${tail}`));
      });
    });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(path.join(staging, 'temporal'), target);
    progress(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)}s: ${target}`);
    return target;
  } finally {
    clearInterval(ticker);
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
