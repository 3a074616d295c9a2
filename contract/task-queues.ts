/**
 * Two task queues per deployment: the units' (every leaf's assignment, the directive's root)
 * and the parents' (assignments of units with units below them, and relays). Each has a
 * worker with its own workflow cache, so a province's long history stays cached while
 * thousands of communes pass through the other cache: an evicted province replays ~600
 * events (about a second of the worker's CPU) whenever a commune closes or it acknowledges
 * (docs/performance.md). Workflow code derives both names from its own queue.
 */
export const PARENTS_QUEUE_SUFFIX = '-parents';

export function taskQueuesOf(queue: string): { units: string; parents: string } {
  const units = queue.endsWith(PARENTS_QUEUE_SUFFIX) ? queue.slice(0, -PARENTS_QUEUE_SUFFIX.length) : queue;
  return { units, parents: `${units}${PARENTS_QUEUE_SUFFIX}` };
}
