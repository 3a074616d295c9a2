/**
 * The floors' activities: `touch` counts the node (once) and returns its children's codes;
 * `recordAck` is the ack floor's event record (a no-op);
 * `startLevel` (the activity-started fan-out prototype) counts the node and starts every
 * child's workflow through the client, as an engine activity would.
 */
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';

/** Child starts in flight at once from one `startLevel` activity. */
const LEVEL_START_CONCURRENCY = 16;

export function createFloorActivities(
  children: Map<string, string[]>,
  onTouch: (code: string) => void,
  client?: Client,
) {
  return {
    async touch(code: string): Promise<string[]> {
      onTouch(code);
      return children.get(code) ?? [];
    },
    /** The ack floor's record of an action: nothing to write, the Temporal work is the point. */
    async recordAck(code: string): Promise<string> {
      return code;
    },
    /**
     * Starts `code`'s children (workflow `activityFanoutNode`, id `prefix/child`) from the
     * client, 16 in flight. Idempotent on retry: the default reuse policy refuses a second
     * run of an open id, and an id already started counts as done. The tree link travels in
     * the memo (the engine would also set it in search attributes and the read model).
     */
    async startLevel(code: string, prefix: string): Promise<number> {
      if (!client) throw new Error('startLevel needs a client');
      onTouch(code);
      const list = children.get(code) ?? [];
      const { taskQueue, workflowExecution } = Context.current().info;
      let next = 0;
      const starter = async () => {
        for (let i = next++; i < list.length; i = next++) {
          const child = list[i]!;
          try {
            await client.workflow.start('activityFanoutNode', {
              workflowId: `${prefix}/${child}`,
              taskQueue,
              args: [child],
              memo: { parentWorkflowId: workflowExecution?.workflowId ?? null, unitCode: child },
            });
          } catch (err) {
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          }
        }
      };
      await Promise.all(Array.from({ length: LEVEL_START_CONCURRENCY }, starter));
      return list.length;
    },
  };
}

export type FloorActivities = ReturnType<typeof createFloorActivities>;
