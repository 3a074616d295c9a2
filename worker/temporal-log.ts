/**
 * The Temporal SDK's own log lines (worker state, workflow and activity logs) through the
 * process's pino logger (runtime/log.ts), so a worker writes one format.
 */
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { logger, type LogLevel } from '../runtime/log';

const PINO_LEVEL: Record<LogEntry['level'], 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The SDK's logger for `Runtime.install`. Its INFO lines (bundle statistics, poller states)
 * drown a start-up summary, so they pass only at LOG_LEVEL=debug; warnings and errors always.
 */
export function temporalLogger(level: LogLevel): DefaultLogger {
  return new DefaultLogger(level === 'debug' ? 'INFO' : 'WARN', (entry) => {
    const { meta, message } = entry;
    logger()[PINO_LEVEL[entry.level]]({ sdk: 'temporal', ...meta }, message);
  });
}
