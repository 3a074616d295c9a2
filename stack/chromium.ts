/**
 * Debian's Chromium driven by playwright-core (`npx playwright install` cannot download
 * browsers here). Installed with apt-get when missing; launched headless with the flags
 * that keep it from reaching the network on its own.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig, childEnv } from '../runtime/config';

export const CHROMIUM_PATH = loadConfig().CHROMIUM_PATH;

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Installs Debian's chromium package when the binary is missing (needs root and apt). */
export function ensureChromium(say: (line: string) => void = () => undefined): string {
  if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  say(`${CHROMIUM_PATH} missing: apt-get install -y chromium`);
  const env = childEnv({ DEBIAN_FRONTEND: 'noninteractive' });
  let run = spawnSync('apt-get', ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env });
  if (run.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    run = spawnSync('apt-get', ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env });
  }
  if (run.status !== 0 || !fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `could not install chromium (apt-get install -y chromium); set CHROMIUM_PATH to an existing Chromium`,
    );
  }
  return CHROMIUM_PATH;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
}
