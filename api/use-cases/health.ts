/** Liveness of the API's dependencies, each probed with a short timeout. */
import type { Client } from '@temporalio/client';
import type { Store } from '../../read-model/repositories';
import { log } from '../../runtime/log';

export type HealthChecks = Record<string, 'ok' | string>;

const TIMEOUT_MS = 2000;

async function probe(name: string, run: () => Promise<unknown>): Promise<'ok' | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  try {
    await Promise.race([run(), timeout]);
    return 'ok';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // The detail goes to the log only: /health is public and messages may name hosts.
    log('warn', 'health check failed', { check: name, error: message });
    return message.startsWith('timeout') ? 'timeout' : 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}

export function defaultHealth(store: Pick<Store, 'ping'>, client: Client): () => Promise<HealthChecks> {
  return async () => {
    const [database, temporal] = await Promise.all([
      probe('database', () => store.ping()),
      probe('temporal', () => client.workflowService.getSystemInfo({})),
    ]);
    return { database, temporal };
  };
}
