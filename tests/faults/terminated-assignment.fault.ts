/**
 * Case 5: an operator terminates one province's assignment workflow from the Temporal CLI
 * once its fan-out to its communes is done. The engine shows it FAILED (with a reason,
 * counted in the progress); the admin retries it; the province acknowledges again and the
 * cascade closes with every other unit untouched.
 */
import { runRelayScenario } from './harness/scenario';
import { slowCase } from './harness/slow-case';
import { terminateAndRetry } from './harness/terminate';
import { waitFor } from '../../stack/wait';

slowCase(
  {
    name: 'terminated-assignment',
    summary: 'one province workflow terminated from the Temporal CLI; FAILED, then admin retry',
    title:
      'when a province assignment workflow is terminated from the Temporal CLI then it shows FAILED with a reason and is counted, and after an admin retry the province acts again and the cascade closes',
  },
  (stack, tree, rec) => {
    const provinces = tree.recipients.filter((u) => u.parentCode === tree.issuerCode);
    const target = provinces[Math.min(1, provinces.length - 1)]!.code;
    const below = tree.units.filter((u) => u.parentCode === target).length;
    return runRelayScenario(stack, tree, rec, {
      label: 'TERMINATE',
      holdBack: (code, i, leaf) => code === target || (leaf && i % 10 === 0),
      notifications: true,
      inject: async ({ stack, directiveId, tokens, problems, rec }) => {
        await waitFor(
          () => stack.db.assignment.count({ where: { directiveId, parentUnitCode: target } }),
          (n) => n >= below,
          `${target}'s fan-out to its ${below} communes`,
          15 * 60_000,
          500,
        );
        rec.figures.terminatedUnitChildren = below;
        problems.push(...(await terminateAndRetry(stack, directiveId, target, tokens.get(target)!, rec)));
      },
    });
  },
);
