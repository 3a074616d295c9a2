/**
 * How long one workflow task of a cascade's workflows may run before the server times it out
 * and hands it out again (Temporal's default: 10 s). Under load, a parent evicted from a
 * worker's cache replays its whole history (a province: ~600 events) on a workflow thread
 * shared with hundreds of other tasks; at 10 s such tasks timed out, were handed out again
 * and replayed again (attempts 2-4, "Workflow task not found" when the first finished), and
 * the Update they carried — a province's acknowledgement — was refused (docs/performance.md).
 * A minute lets the replay finish once. The cost: a task held by a worker that died is
 * handed to another up to a minute later (a crashed worker's sticky tasks still move after
 * 10 s, the schedule-to-start timeout of its sticky queue).
 */
export const WORKFLOW_TASK_TIMEOUT = '1 minute';
