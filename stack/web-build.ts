/**
 * Builds the dashboard (web/ → web/dist) when it is missing or its sources changed: type-checks
 * it (`tsc -p web`) and bundles it with Vite. Run by `npm install` (postinstall), `npm start`
 * and the browser tests; `npm run build:web` forces a build. Nothing is fetched: the bundle
 * holds everything the page needs.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const web = path.join(root, 'web');
const out = path.join(web, 'dist');
const stamp = path.join(out, '.source-sha256');

/** Every file the build reads: web/ sources and config, and the versions locked for them. */
function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'dist' || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(web);
  return [...files.sort(), path.join(root, 'package-lock.json')];
}

function sourceHash(): string {
  const hash = crypto.createHash('sha256');
  for (const file of sourceFiles()) {
    if (!fs.existsSync(file)) continue;
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function run(bin: string, args: string[]): void {
  const result = spawnSync(path.join(root, 'node_modules', '.bin', bin), args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) {
    throw new Error(
      `${bin} ${args.join(' ')} failed:\n${result.stdout?.toString()}${result.stderr?.toString()}`,
    );
  }
}

/** Builds web/dist unless it is up to date with its sources (or `force`). True when it built. */
export function buildWeb(opts: { force?: boolean } = {}): boolean {
  const hash = sourceHash();
  if (!opts.force && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return false;
  run('tsc', ['--noEmit', '-p', 'web']);
  run('vite', ['build', 'web', '--logLevel', 'warn']);
  fs.writeFileSync(stamp, hash);
  return true;
}

if (require.main === module) {
  const started = Date.now();
  const built = buildWeb({ force: process.argv.includes('--force') });
  process.stderr.write(
    built
      ? `Dashboard built (web/dist) in ${((Date.now() - started) / 1000).toFixed(1)}s\n`
      : 'Dashboard up to date (web/dist)\n',
  );
}
