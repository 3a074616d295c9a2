/**
 * Structured logs through pino: JSON, one line per event (warnings and errors on stderr, the
 * rest on stdout), or human-readable lines when LOG_FORMAT=pretty (`npm start`).
 *
 * Inside an HTTP request, `logger()` is that request's child logger (bound to its request
 * id by api/middleware/request-context.ts), so every line a request causes carries the id,
 * whichever module writes it, and the trace id of the request's span. Never log a token, a header or a request body.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { logLevelFromEnv } from './config';
import { activeTraceIds } from './trace-ids';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'pretty';

function build(level: LogLevel, format: LogFormat): Logger {
  const options: pino.LoggerOptions = {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // Inside a traced request (runtime/tracing.ts), every line names its trace and span.
    mixin: activeTraceIds,
  };
  if (format === 'pretty') {
    // Synchronous, in this thread: no transport worker to start or to flush at exit.
    return pino(
      options,
      pretty({
        sync: true,
        destination: 2,
        colorize: process.stderr.isTTY,
        ignore: 'pid,hostname',
      }),
    );
  }
  // Through the process's own streams, not a file descriptor, so that whoever replaces
  // `process.stdout.write` (a test capturing lines) sees them.
  return pino(
    options,
    pino.multistream(
      [
        { level: 'trace', stream: process.stdout },
        { level: 'warn', stream: process.stderr },
      ],
      { dedupe: true },
    ),
  );
}

let root = build(logLevelFromEnv(), 'json');
/** Loggers made once and kept (the HTTP logger's parent): they follow level changes. */
const followers = new Set<Logger>();
const scoped = new AsyncLocalStorage<Logger>();

/** The current request's logger inside a request, else the process's. */
export function logger(): Logger {
  return scoped.getStore() ?? root;
}

/** Runs `fn` (and everything it starts) with `child` as `logger()`. */
export function withLogger<T>(child: Logger, fn: () => T): T {
  return scoped.run(child, fn);
}

/** Sets the level and the format; entry points call it once, after reading the configuration. */
export function configureLogging({
  level,
  format = 'json',
}: {
  level: LogLevel;
  format?: LogFormat;
}): void {
  root = build(level, format);
}

/** Changes the level of the process's logger and of the long-lived loggers made from it. */
export function setLogLevel(level: LogLevel): void {
  root.level = level;
  for (const l of followers) l.level = level;
}

/**
 * Makes `l`, a logger kept for the life of the process or the app, follow `setLogLevel`
 * (pino fixes a child's level when the child is made).
 */
export function followLevel(l: Logger): Logger {
  followers.add(l);
  return l;
}

/** One line at `level`, with `fields` beside the message. */
export function log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
  logger()[level](fields, msg);
}
