/**
 * `npm run test:ui`: the dashboard's browser tests. Provisions what they need (Prisma
 * client, Temporal CLI, the dashboard build, Debian's Chromium), then runs Jest with
 * jest.ui.config.js (the same one-stack-per-run harness as `npm test`). Extra arguments go to Jest.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureTemporalCli } from '../../stack/temporal-cli';
import { generatePrismaClient } from '../../stack/prisma-generate';
import { buildWeb } from '../../stack/web-build';
import { ensureChromium } from '../../stack/chromium';

const say = (line: string) => process.stderr.write(`[test:ui] ${line}\n`);

async function main(): Promise<number> {
  generatePrismaClient();
  if (buildWeb()) say('dashboard built');
  ensureChromium(say);
  const cli = await ensureTemporalCli(say);
  const jest = path.resolve(__dirname, '..', '..', 'node_modules', '.bin', 'jest');
  const run = spawnSync(
    jest,
    ['-c', 'jest.ui.config.js', '--runInBand', ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      env: { ...process.env, TEMPORAL_CLI_PATH: cli },
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
