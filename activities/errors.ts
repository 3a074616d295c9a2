/**
 * How an activity's error reaches the workflow: a business rejection (the unit's action is
 * refused, with the reason), an incident (retrying cannot fix it: poison input, a bug, a
 * constraint the data breaks), or anything else, which is transient and retried.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { isPoisonDatabaseError } from '../read-model/db';

/** The failure types the workflows' retry policies never retry. */
export const NON_RETRYABLE = { rejection: 'BusinessRejection', incident: 'Incident' } as const;

/** A business rejection: not retried, and its message reaches the caller as the reason. */
export function businessRejection(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, NON_RETRYABLE.rejection);
}

/**
 * Turns an error that retrying cannot fix into a non-retryable `Incident`; leaves the rest
 * (connection loss, timeouts) to the retry policy. `RangeError`/`TypeError` come from
 * input no code path can handle (an invalid date, a duration the calendar cannot count).
 */
export function classify(err: unknown): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof RangeError || err instanceof TypeError || isPoisonDatabaseError(err)) {
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
