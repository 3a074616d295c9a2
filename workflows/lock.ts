import { condition } from '@temporalio/workflow';

/**
 * Serializes state changes: an Update handler and the wait loop both await activities
 * mid-change, and two interleaved changes would persist events out of order.
 */
export class Lock {
  private held = false;

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await condition(() => !this.held);
    this.held = true;
    try {
      return await fn();
    } finally {
      this.held = false;
    }
  }
}
