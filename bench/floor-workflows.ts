/**
 * The floor of `npm run bench:cascade`: the same tree shape fanned out by a bare workflow.
 * Each node runs one no-op activity (which only counts itself and returns the node's
 * children from an in-memory map), then starts one child per child unit and waits until
 * they have started — the Temporal work the cascade does on delivery, minus the read-model
 * write, search attributes, timers and the state machine. `batch` > 0 starts the children
 * in waves of that many (as the cascade's fanOut does); 0 starts them all at once.
 */
import {
  ParentClosePolicy,
  condition,
  defineUpdate,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { FloorActivities } from './floor-activities';

const { touch, recordAck } = proxyActivities<FloorActivities>({ startToCloseTimeout: '30 seconds' });
const { startLevel } = proxyActivities<FloorActivities>({ startToCloseTimeout: '5 minutes' });

export async function floorNode(code: string, batch = 0): Promise<void> {
  const prefix = workflowInfo().workflowId.split('/').slice(0, 2).join('/');
  const children = await touch(code);
  const size = batch > 0 ? batch : children.length;
  for (let i = 0; i < children.length; i += size) {
    await Promise.all(
      children.slice(i, i + size).map((child) =>
        startChild(floorNode, {
          workflowId: `${prefix}/${child}`,
          args: [child, batch],
          parentClosePolicy: ParentClosePolicy.ABANDON,
        }),
      ),
    );
  }
}

/** The acknowledgement floor's unit action (see clientFloorNode). */
export const floorAckUpdate = defineUpdate<void>('floorAck');

/**
 * The client-started floor: one bare workflow per unit, started by a client (no parent),
 * that runs one activity and then waits on a durable timer, as an assignment does on
 * delivery (the deliver activity, then the acknowledgement deadline). It stays open, as
 * the assignments do, so the worker's cache holds the same number of open workflows.
 *
 * Its acknowledgement (the ack floor): an Update whose handler runs one activity (the
 * engine records each action's event), after which the workflow closes, as a leaf's
 * assignment does when it is acknowledged. Bare Temporal's cost of one unit action.
 */
export async function clientFloorNode(code: string): Promise<void> {
  let acked = false;
  setHandler(floorAckUpdate, async () => {
    await recordAck(code);
    acked = true;
  });
  await touch(code);
  await condition(() => acked, '7 days');
}

/**
 * Prototype of an activity-started fan-out, the alternative to parent-child starts, run as a
 * floor so the two designs are compared on the same machine: each node runs one activity that
 * starts its children's workflows through the client (no parent-child link in Temporal, the
 * parent is in the child's memo), then waits on a durable timer like an assignment. The
 * parent takes no workflow task per started child, and holds no lock while they start.
 */
export async function activityFanoutNode(code: string): Promise<void> {
  const prefix = workflowInfo().workflowId.split('/').slice(0, 2).join('/');
  await startLevel(code, prefix);
  await sleep('7 days');
}
