/**
 * Finds the production Temporal server, its SQL schema tool and the Web UI server, or
 * builds them from the Go module proxy and caches them outside the clone (next to the
 * CLI, see temporal-cli.ts), so that later runs are instant:
 *
 * - `temporal-server` and `temporal-sql-tool`: `go.temporal.io/server@v1.29.1`, packages
 *   `cmd/server` and `cmd/tools/sql` (no `replace` directives; the PostgreSQL schemas are
 *   embedded in the sql tool). Order: TEMPORAL_SERVER_PATH (the sql tool beside it, or
 *   TEMPORAL_SQL_TOOL_PATH), the cache, both on PATH, then `go install`.
 * - `temporal-ui-server`: `github.com/temporalio/ui-server/v2@v2.42.1` `cmd/server`, the UI
 *   the CLI 1.5.1 embeds and docker-compose.yml runs. Order: TEMPORAL_UI_SERVER_PATH, the
 *   cache, PATH, then `go install`.
 *
 * `npx tsx stack/temporal-server-build.ts` provisions all three and prints their paths.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, childEnv } from '../runtime/config';

/** The server the Temporal CLI v1.5.1 (our dev server) embeds: one version everywhere. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
/** The ui-server the CLI v1.5.1 embeds and docker-compose.yml's temporalio/ui:2.42.1 ships. */
export const TEMPORAL_UI_VERSION = 'v2.42.1';

export type Progress = (line: string) => void;
const stderr: Progress = (l) => process.stderr.write(l + '\n');

/** The production server and its schema tool. */
export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
}

/** The cache directory every built tool lives under. */
export function cacheRoot(): string {
  const base = loadConfig().XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'directive-cascade');
}

/** Where the built server and sql tool are cached. */
export function serverCacheDir(): string {
  return path.join(cacheRoot(), `temporal-server-${TEMPORAL_SERVER_VERSION}`);
}

/** Where the built UI server is cached. */
export function uiCacheDir(): string {
  return path.join(cacheRoot(), `temporal-ui-server-${TEMPORAL_UI_VERSION}`);
}

/** The executable `name` on PATH, if any. */
export function onPath(name: string): string | undefined {
  for (const dir of loadConfig().PATH.split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** All three are urfave/cli programs: `--help` exits 0 without touching anything. */
function runs(binary: string): boolean {
  return spawnSync(binary, ['--help'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
}

/**
 * Working `temporal-server` and `temporal-sql-tool` binaries if they exist already
 * (TEMPORAL_SERVER_PATH, the cache, PATH), without building anything; undefined otherwise.
 * Throws when TEMPORAL_SERVER_PATH names something that does not run.
 */
export function findTemporalServer(): TemporalServerBinaries | undefined {
  const explicit = loadConfig().TEMPORAL_SERVER_PATH;
  if (explicit) {
    if (!runs(explicit))
      throw new Error(`TEMPORAL_SERVER_PATH=${explicit} is not a runnable temporal-server`);
    const sqlTool =
      loadConfig().TEMPORAL_SQL_TOOL_PATH ?? path.join(path.dirname(explicit), 'temporal-sql-tool');
    if (!runs(sqlTool)) {
      throw new Error(
        `TEMPORAL_SERVER_PATH is set but ${sqlTool} is not a runnable temporal-sql-tool; ` +
          'put it beside the server or set TEMPORAL_SQL_TOOL_PATH',
      );
    }
    return { server: explicit, sqlTool };
  }
  const dir = serverCacheDir();
  const cached = {
    server: path.join(dir, 'temporal-server'),
    sqlTool: path.join(dir, 'temporal-sql-tool'),
  };
  if (
    fs.existsSync(cached.server) &&
    fs.existsSync(cached.sqlTool) &&
    runs(cached.server) &&
    runs(cached.sqlTool)
  ) {
    return cached;
  }
  const found = { server: onPath('temporal-server'), sqlTool: onPath('temporal-sql-tool') };
  if (found.server && found.sqlTool && runs(found.server) && runs(found.sqlTool)) {
    return { server: found.server, sqlTool: found.sqlTool };
  }
  return undefined;
}

/** Returns working `temporal-server` and `temporal-sql-tool` binaries, building them if needed. */
export async function ensureTemporalServer(
  progress: Progress = stderr,
): Promise<TemporalServerBinaries> {
  const existing = findTemporalServer();
  if (existing) return existing;
  const dir = serverCacheDir();
  await goInstall(
    {
      what: `the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool`,
      packages: [
        {
          pkg: `go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`,
          built: 'server',
          as: 'temporal-server',
        },
        {
          pkg: `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
          built: 'sql',
          as: 'temporal-sql-tool',
        },
      ],
      dir,
      minutes: '10-15',
    },
    progress,
  );
  return {
    server: path.join(dir, 'temporal-server'),
    sqlTool: path.join(dir, 'temporal-sql-tool'),
  };
}

/** Returns a working `temporal-ui-server` binary, building it if needed. */
export async function ensureTemporalUiServer(progress: Progress = stderr): Promise<string> {
  const explicit = loadConfig().TEMPORAL_UI_SERVER_PATH;
  if (explicit) {
    if (!runs(explicit))
      throw new Error(`TEMPORAL_UI_SERVER_PATH=${explicit} is not a runnable Temporal UI server`);
    return explicit;
  }
  const cached = path.join(uiCacheDir(), 'temporal-ui-server');
  if (fs.existsSync(cached) && runs(cached)) return cached;
  const found = onPath('temporal-ui-server');
  if (found && runs(found)) return found;
  await goInstall(
    {
      what: `the Temporal Web UI server ${TEMPORAL_UI_VERSION}`,
      packages: [
        {
          pkg: `github.com/temporalio/ui-server/v2/cmd/server@${TEMPORAL_UI_VERSION}`,
          built: 'server',
          as: 'temporal-ui-server',
        },
      ],
      dir: uiCacheDir(),
      minutes: '2-5',
    },
    progress,
  );
  return cached;
}

export interface GoInstallSpec {
  what: string;
  /** What to set instead of building, named when Go is missing. */
  hint?: string;
  /** Packages of one module at one version; `built` is the name go gives the binary. */
  packages: { pkg: string; built: string; as: string }[];
  /** Cache directory the binaries end up in, renamed to `as`. */
  dir: string;
  minutes: string;
}

/**
 * `go install` into a staging GOBIN beside the cache dir, then a rename into it: a build
 * that is interrupted leaves no half-written binary where the next run would look.
 */
export async function goInstall(spec: GoInstallSpec, progress: Progress): Promise<void> {
  const go = onPath('go');
  if (!go) {
    throw new Error(
      `${spec.what} was not found and Go is not installed to build it.\n` +
        '  Install Go 1.24+ (https://go.dev/dl/ or `apt-get install golang`), or set\n' +
        `  ${spec.hint ?? 'TEMPORAL_SERVER_PATH / TEMPORAL_SQL_TOOL_PATH / TEMPORAL_UI_SERVER_PATH to existing binaries'}.`,
    );
  }
  const staging = `${spec.dir}.partial-${process.pid}`;
  fs.mkdirSync(staging, { recursive: true });
  progress(
    `Building ${spec.what} with Go (one time, about ${spec.minutes} minutes on 2 cores; cached in ${spec.dir})`,
  );
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)}s`;
  let downloads = 0;
  let compiling = '';
  const ticker = setInterval(() => {
    const detail = downloads ? `, fetched ${downloads} Go modules` : '';
    progress(
      `  still building ${spec.what}… ${elapsed()}${detail}${compiling ? `, compiling ${compiling}` : ''}`,
    );
  }, 20_000);
  try {
    await new Promise<void>((resolve, reject) => {
      // -x would be far too chatty; -v names each package as it is compiled, for the ticker.
      const child = spawn(go, ['install', '-v', ...spec.packages.map((p) => p.pkg)], {
        env: childEnv({ GOBIN: staging, GOFLAGS: '-mod=mod' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let tail = '';
      child.stderr.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        tail = (tail + text).slice(-4000);
        downloads += (text.match(/go: downloading/g) ?? []).length;
        const lines = text.split('\n').filter((l) => l && !l.startsWith('go: '));
        if (lines.length) compiling = lines[lines.length - 1]!;
      });
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) resolve();
        else reject(new Error(`go install of ${spec.what} failed (exit ${code}):\n${tail}`));
      });
    });
    fs.mkdirSync(spec.dir, { recursive: true });
    for (const p of spec.packages)
      fs.renameSync(path.join(staging, p.built), path.join(spec.dir, p.as));
    progress(`${spec.what} built in ${elapsed()}: ${spec.dir}`);
  } finally {
    clearInterval(ticker);
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

if (require.main === module) {
  (async () => {
    const { server, sqlTool } = await ensureTemporalServer();
    const ui = await ensureTemporalUiServer();
    process.stdout.write(
      `temporal-server     ${server}\ntemporal-sql-tool   ${sqlTool}\ntemporal-ui-server  ${ui}\n`,
    );
  })().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
