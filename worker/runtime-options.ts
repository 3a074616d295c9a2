/**
 * The Temporal Core runtime of a worker process: the SDK's log lines through pino
 * (worker/temporal-log.ts) and, unless WORKER_METRICS_PORT is 0, Temporal's SDK metrics for
 * Prometheus at http://WORKER_METRICS_HOST:WORKER_METRICS_PORT/metrics. The exporter keeps
 * Temporal's default names and units (`temporal_` prefix, durations in milliseconds, no
 * `_total` suffix) so that Temporal's published SDK dashboard reads them unchanged.
 */
import type { RuntimeOptions } from '@temporalio/worker';
import type { Config } from '../runtime/config';
import { temporalLogger } from './temporal-log';

/** host:port the worker's metrics listen on, or undefined when they are off. */
export function workerMetricsAddress(config: Pick<Config, 'WORKER_METRICS_PORT' | 'WORKER_METRICS_HOST'>): string | undefined {
  if (config.WORKER_METRICS_PORT === 0) return undefined;
  const host = config.WORKER_METRICS_HOST.includes(':') ? `[${config.WORKER_METRICS_HOST}]` : config.WORKER_METRICS_HOST;
  return `${host}:${config.WORKER_METRICS_PORT}`;
}

export function workerRuntimeOptions(
  config: Pick<Config, 'LOG_LEVEL' | 'WORKER_METRICS_PORT' | 'WORKER_METRICS_HOST'>,
  extra: Partial<RuntimeOptions> = {},
): RuntimeOptions {
  const bindAddress = workerMetricsAddress(config);
  return {
    logger: temporalLogger(config.LOG_LEVEL),
    ...(bindAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress } } } } : {}),
    ...extra,
  };
}
