import fs from 'node:fs';
import path from 'node:path';
import type { DevServer } from '../../stack/dev-server';
import { STATE_FILE } from './stack-state';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as Record<string, unknown>).__cascadeStack as
    | { server: DevServer; stopDb?: () => Promise<void> }
    | undefined;
  await stack?.server.stop();
  await stack?.stopDb?.();
  fs.rmSync(path.dirname(STATE_FILE), { recursive: true, force: true });
}
