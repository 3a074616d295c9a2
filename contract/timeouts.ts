/**
 * The engine's timeouts, chosen together so that work resumes within 15 s of a fault's end
 * (docs/reliability.md, "Recovery", measures each against the longer setting it replaced).
 *
 * How long one workflow task of a cascade's workflows may run before the server times it out
 * and hands it out again. A task held by a worker that was killed is handed to another only
 * when this expires, so it bounds recovery after a worker crash (and after a Temporal restart,
 * for tasks that were running then). 1 minute used to cost ~40 s per `kill -9`. Under load a
 * parent evicted from a worker's cache replays its whole history (a province: ~600 events);
 * at 10 s such a replay once timed out; relays now have their own worker and cache
 * (contract/task-queues.ts), so a province is not evicted in a national cascade, and the
 * fault suite counts the timeouts of every run (`workflowTaskTimeouts`). Temporal's default.
 */
export const WORKFLOW_TASK_TIMEOUT = '10 seconds';

/**
 * How long one attempt of a cascade activity (a read-model write or read, milliseconds when
 * the database answers) may run before it is retried. An activity that was running on a
 * killed worker is retried only when this expires. 10 s is three orders of magnitude above
 * what a write takes, so a slow database under load does not turn one write into two.
 */
export const ACTIVITY_ATTEMPT_TIMEOUT = '10 seconds';

/** The morning digests are one activity writing every unit's digest: a bulk write, given longer. */
export const BULK_ACTIVITY_ATTEMPT_TIMEOUT = '2 minutes';

/**
 * The longest wait between two attempts of a failing activity. After an outage ends, the
 * activities waiting on it resume within this (30 s used to add up to 30 s to every
 * recovery). The cost is more attempts during a long outage: one every 5 s per waiting
 * activity, each an immediate connection refusal, and for local activities (the hot path)
 * no server round trip, since they retry inside the worker below `localRetryThreshold`.
 */
export const ACTIVITY_MAX_RETRY_INTERVAL = '5 seconds';
