import { Mutex } from 'async-mutex';

/**
 * Serializes state changes: an Update handler and the wait loop both await activities
 * mid-change, and two interleaved changes would persist events out of order. A real
 * mutex (as in Temporal's safe-message-handlers sample): waiters enter one at a time, in
 * arrival order. (A `condition(() => !held)` gate is not one: a single activation releases
 * every waiter whose predicate is true before any of them marks the lock held.)
 */
export class Lock {
  private readonly mutex = new Mutex();

  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.mutex.runExclusive(fn);
  }
}
