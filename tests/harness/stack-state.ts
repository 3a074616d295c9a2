import path from 'node:path';

/** Per run, so that concurrent test runs (two terminals, two helpers) never share a data dir. */
export const TEST_DATA_DIR = path.resolve(
  __dirname, '..', '..', '.data', 'test', process.env.CASCADE_TEST_RUN ?? `run-${process.pid}`,
);
export const STATE_FILE = path.join(TEST_DATA_DIR, 'stack.json');

export interface StackState {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  /** The dev server's own Prometheus metrics, http://127.0.0.1:<port>/metrics. */
  temporalMetricsPort: number;
}


export { freePort } from '../../stack/ports';
