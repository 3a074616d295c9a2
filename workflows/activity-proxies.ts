/**
 * Activity proxies grouped by timeout profile. Database writes retry until the database
 * is back; business rejections (`BusinessRejection`) fail at once and reach the caller.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { CascadeActivities } from '../activities';

export const io = proxyActivities<CascadeActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['BusinessRejection'],
  },
});
