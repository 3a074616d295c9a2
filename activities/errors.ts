/**
 * How an activity's error reaches the workflow: a business rejection (the unit's action is
 * refused, with the reason), an incident (retrying cannot fix it: poison input, a bug, a
 * constraint the data breaks), or anything else, which is transient and retried.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { Prisma } from '../read-model/generated/prisma';
import { rawQueryFailure } from '../read-model/db';

/** The failure types the workflows' retry policies never retry. */
export const NON_RETRYABLE = { rejection: 'BusinessRejection', incident: 'Incident' } as const;

/** A business rejection: not retried, and its message reaches the caller as the reason. */
export function businessRejection(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, NON_RETRYABLE.rejection);
}

/**
 * Prisma request errors that retrying cannot fix: constraint and value errors (P2000–P2033),
 * except the pool timeout (P2024), which is load, not poison, and a raw query's failure
 * (P2010), which is poison only when the database answered that the data or the statement
 * is wrong (SQLSTATE classes 22, 23, 42) — a raw query against a database that is away or
 * shutting down fails with P2010 too, and that is retried like any outage.
 */
function isPoisonPrismaError(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientValidationError) return true;
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    const raw = rawQueryFailure(err);
    if (raw) return raw.kind === 'postgres' && /^(22|23|42)/.test(raw.code ?? '');
    return /^P20([0-2]\d|3[0-3])$/.test(err.code) && err.code !== 'P2024';
  }
  return false;
}

/**
 * Turns an error that retrying cannot fix into a non-retryable `Incident`; leaves the rest
 * (connection loss, timeouts) to the retry policy. `RangeError`/`TypeError` come from
 * input no code path can handle (an invalid date, a duration the calendar cannot count).
 */
export function classify(err: unknown): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof RangeError || err instanceof TypeError || isPoisonPrismaError(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return ApplicationFailure.create({
      message: `${err instanceof Error ? err.name : 'Error'}: ${message}`.slice(0, 2000),
      type: NON_RETRYABLE.incident,
      nonRetryable: true,
      cause: err instanceof Error ? err : undefined,
    });
  }
  return err;
}

/** Wraps every function of an activity object so that its errors are classified. */
export function classified<T extends object>(activities: T): T {
  const out = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(activities)) {
    out[name] = async (...args: unknown[]) => {
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (err) {
        throw classify(err);
      }
    };
  }
  return out as T;
}
