/**
 * The floor of `npm run bench:cascade`: the same tree shape fanned out by a bare workflow.
 * Each node runs one no-op activity (which only counts itself and returns the node's
 * children from an in-memory map), then starts one child per child unit and waits until
 * they have started — the Temporal work the cascade does on delivery, minus the read-model
 * write, search attributes, timers and the state machine. `batch` > 0 starts the children
 * in waves of that many (as the cascade's fanOut does); 0 starts them all at once.
 */
import { ParentClosePolicy, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { FloorActivities } from './floor-activities';

const { touch } = proxyActivities<FloorActivities>({ startToCloseTimeout: '30 seconds' });

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
