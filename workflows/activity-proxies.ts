/**
 * Activity proxies grouped by timeout profile. Database writes retry until the database
 * is back; business rejections (`BusinessRejection`) fail at once and reach the caller.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { CascadeActivities } from '../contract/activities';

export const io = proxyActivities<CascadeActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['BusinessRejection'],
  },
});

/**
 * Delivery runs as a local activity: it is short, idempotent, and on the hot path of
 * every unit of a national cascade, where a regular activity's extra server round trip
 * and three history events per unit cost the single-shard dev server most.
 */
export const local = proxyLocalActivities<CascadeActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['BusinessRejection'],
  },
});
