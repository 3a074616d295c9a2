/**
 * prom-client's default Node.js process metrics (CPU, memory, event-loop lag, GC, handles),
 * registered once per process: they describe the process, not an app built inside it, and
 * their GC and event-loop observers must not be set up again for every app a test builds.
 */
import { Registry, collectDefaultMetrics } from 'prom-client';

let registry: Registry | undefined;

export function processMetrics(): Registry {
  if (!registry) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry });
  }
  return registry;
}
