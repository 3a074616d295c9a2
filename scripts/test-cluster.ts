/**
 * `npm run test:cluster`: the production-topology suite (jest.cluster.config.js). Provisions
 * first what it needs on a fresh machine — the Prisma client, `temporal-server`,
 * `temporal-sql-tool` and `temporal-ui-server` (built once with Go, cached; see
 * stack/temporal-server-build.ts) — so that no build runs inside a Jest timeout. Extra
 * arguments go to Jest.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { generatePrismaClient } from '../stack/prisma-generate';
import { ensureTemporalServer, ensureTemporalUiServer } from '../stack/temporal-server-build';

const say = (line: string) => process.stderr.write(`[test:cluster] ${line}\n`);

async function main(): Promise<number> {
  generatePrismaClient();
  const { server, sqlTool } = await ensureTemporalServer(say);
  const ui = await ensureTemporalUiServer(say);
  const jest = path.resolve(__dirname, '..', 'node_modules', '.bin', 'jest');
  const run = spawnSync(
    jest,
    ['-c', 'jest.cluster.config.js', '--runInBand', ...process.argv.slice(2)],
    {
      cwd: path.resolve(__dirname, '..'),
      stdio: 'inherit',
      env: {
        ...process.env,
        TEMPORAL_SERVER_PATH: server,
        TEMPORAL_SQL_TOOL_PATH: sqlTool,
        TEMPORAL_UI_SERVER_PATH: ui,
      },
    },
  );
  return run.status ?? 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    say(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
