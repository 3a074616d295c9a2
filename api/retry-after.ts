/**
 * How soon a request the API refused with 503 can succeed, by the part it waited for — the
 * `Retry-After` of every 503. Each figure is how soon after the part is back the API can use
 * it again (its reconnect interval), never a guess at how long an outage lasts: a client that
 * retries after it succeeds within that much of the part's return (docs/reliability.md).
 */
import { TEMPORAL_RECONNECT_MAX_MS } from '../runtime/temporal-connection';

export type WaitedFor = 'database' | 'temporal' | 'workflow';

export const RETRY_AFTER_S: Record<WaitedFor, number> = {
  // Every request takes a pooled connection, opened anew when the last one broke: the first
  // request after PostgreSQL answers again succeeds.
  database: 1,
  // The Temporal client reconnects at least this often while the server is away.
  temporal: Math.ceil(TEMPORAL_RECONNECT_MAX_MS / 1000),
  // Temporal answered but the workflow did not within the update timeout: a task held by a
  // worker that died has been handed to a live one meanwhile (the workflow task timeout is
  // shorter than the update timeout), so the next attempt can succeed at once.
  workflow: 1,
};

/** The part whose failure the health checks name first, for /health's own 503. */
export function retryAfterForHealth(checks: Record<string, string>): number {
  if (checks.database !== undefined && checks.database !== 'ok') return RETRY_AFTER_S.database;
  return RETRY_AFTER_S.temporal;
}
