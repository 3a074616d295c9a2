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

  /**
   * Like `run`, for a long change made of steps that stands on its own between them (a
   * fan-out's waves): `fn` calls `letIn()` between steps, which lets every change queued
   * meanwhile run to its end, in arrival order, then takes the lock back. Nothing
   * interleaves inside a step, and no two changes ever hold the lock at once.
   */
  async runInSteps<T>(fn: (letIn: () => Promise<void>) => Promise<T>): Promise<T> {
    let release = await this.mutex.acquire();
    try {
      return await fn(async () => {
        release();
        release = await this.mutex.acquire();
      });
    } finally {
      release();
    }
  }
}
