/**
 * The floor of `npm run bench:cascade`: the same tree shape fanned out by a bare workflow.
 * Each node runs one no-op activity (which only counts itself and returns the node's
 * children from an in-memory map), then starts one child per child unit and waits until
 * they have started — exactly the Temporal work the cascade does on delivery, minus the
 * read-model write, search attributes, timers and the state machine.
 */
import { ParentClosePolicy, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { FloorActivities } from './floor-activities';

const { touch } = proxyActivities<FloorActivities>({ startToCloseTimeout: '30 seconds' });

export async function floorNode(code: string): Promise<void> {
  const prefix = workflowInfo().workflowId.split('/').slice(0, 2).join('/');
  const children = await touch(code);
  await Promise.all(
    children.map((child) =>
      startChild(floorNode, {
        workflowId: `${prefix}/${child}`,
        args: [child],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      }),
    ),
  );
}
