/**
 * Activity proxies grouped by timeout profile, each with an explicit retry policy.
 * Transient errors (the database away, a timeout) retry with backoff for up to an hour;
 * errors retrying cannot fix (`BusinessRejection`, `Incident`) fail at once. An activity
 * still failing after an hour becomes an incident too: never an endless, silent retry.
 */
import { proxyActivities, proxyLocalActivities, type RetryPolicy } from '@temporalio/workflow';
import type { CascadeActivities } from '../contract/activities';
import { ACTIVITY_ATTEMPT_TIMEOUT, ACTIVITY_MAX_RETRY_INTERVAL, BULK_ACTIVITY_ATTEMPT_TIMEOUT } from '../contract/timeouts';

const retry: RetryPolicy = {
  initialInterval: '500 milliseconds',
  backoffCoefficient: 2,
  maximumInterval: ACTIVITY_MAX_RETRY_INTERVAL,
  nonRetryableErrorTypes: ['BusinessRejection', 'Incident'],
};

/** How long a transient failure may last before it is an incident. */
const GIVE_UP_AFTER = '1 hour';

export const io = proxyActivities<CascadeActivities>({
  startToCloseTimeout: ACTIVITY_ATTEMPT_TIMEOUT,
  scheduleToCloseTimeout: GIVE_UP_AFTER,
  retry,
});

/** One activity writing for every unit at once (the morning digests). */
export const bulk = proxyActivities<CascadeActivities>({
  startToCloseTimeout: BULK_ACTIVITY_ATTEMPT_TIMEOUT,
  scheduleToCloseTimeout: GIVE_UP_AFTER,
  retry,
});

/**
 * An assignment's delivery and event records run as local activities: short, idempotent
 * (keyed by the workflow's event sequence), and on the hot path of every unit of a
 * national cascade, where a regular activity's extra server round trip, second workflow
 * task and three history events per call cost the single-shard dev server most. A
 * `patched()` check right after a local activity does not replay when the activity's
 * completion landed in an earlier workflow task: every patch is decided at the start of a
 * run (workflows/patches.ts).
 */
export const local = proxyLocalActivities<CascadeActivities>({
  startToCloseTimeout: ACTIVITY_ATTEMPT_TIMEOUT,
  scheduleToCloseTimeout: GIVE_UP_AFTER,
  localRetryThreshold: '10 seconds',
  retry,
});

/** Recording an incident: it may be the database that fails, so it gives up sooner. */
export const incidents = proxyActivities<CascadeActivities>({
  startToCloseTimeout: ACTIVITY_ATTEMPT_TIMEOUT,
  scheduleToCloseTimeout: '10 minutes',
  retry,
});
