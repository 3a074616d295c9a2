/**
 * /health answered from its last probe for a short while: the route is public and not
 * rate-limited (a flood must not get the API restarted by its orchestrator), so each
 * request must not cost a database query and a Temporal call. Concurrent requests share
 * the probe in flight.
 */
import type { HealthChecks } from './health';

export function cachedHealth(probe: () => Promise<HealthChecks>, ttlMs: number): () => Promise<HealthChecks> {
  let last: { at: number; answer: Promise<HealthChecks> } | undefined;
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= ttlMs) {
      const answer = probe();
      last = { at: now, answer };
      // A probe that throws is not kept: the next request probes again.
      answer.catch(() => {
        if (last?.answer === answer) last = undefined;
      });
    }
    return last.answer;
  };
}
