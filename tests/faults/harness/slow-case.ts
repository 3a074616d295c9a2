/**
 * One slow fault case per file: its own stack (started in beforeAll, stopped in afterAll
 * whatever happens), the tree loaded through the API, a recorder whose figures are written
 * to the results file even when the case fails, and one assertion: no problem found.
 */
import { loadTree } from './cascade';
import { minUnits, SLOW_CASE_TIMEOUT_MS } from './config';
import { CaseRecorder } from './results';
import { startFaultStack, type FaultStack } from './stack';
import { national2025Slice, type FaultTree } from './tree';

export interface SlowCaseOptions {
  name: string;
  /** Short description for the report table. */
  summary: string;
  /** The Jest title: "when … then …". */
  title: string;
  /** Run the outbox sender (to the stack's webhook). */
  outbox?: boolean;
  /** Run a Mailpit and send e-mail to people through it. */
  mail?: boolean;
}

export type CaseBody = (stack: FaultStack, tree: FaultTree, rec: CaseRecorder) => Promise<string[]>;

export function slowCase(opts: SlowCaseOptions, body: CaseBody): void {
  const tree = national2025Slice(minUnits());
  let stack: FaultStack | undefined;

  beforeAll(async () => {
    stack = await startFaultStack({ name: opts.name, mode: 'own', outbox: opts.outbox ?? true, mail: opts.mail ?? false });
    await loadTree(stack, tree);
  }, 10 * 60_000);

  // close() is bounded part by part (harness/stack.ts), well within this.
  afterAll(async () => {
    await stack?.close();
  }, 10 * 60_000);

  test(
    opts.title,
    async () => {
      const rec = new CaseRecorder('slow', opts.name, opts.summary);
      rec.workers = 1 + stack!.peers.length;
      let problems: string[] = ['the case did not finish'];
      try {
        problems = await body(stack!, tree, rec);
      } catch (err) {
        problems = [`the case stopped: ${err instanceof Error ? err.message : String(err)}`];
        rec.note(problems[0]!);
      } finally {
        rec.figures.workerStarts = stack!.worker.starts;
        rec.figures.workerCrashes = [stack!.worker, ...stack!.peers].reduce((n, w) => n + w.unexpectedExits, 0);
        const passed = problems.length === 0;
        for (const p of problems) if (!rec.findings.some((f) => f.endsWith(p))) rec.note(p);
        rec.write(passed);
        if (!passed) stack!.keepData = true;
      }
      expect(problems).toEqual([]);
    },
    SLOW_CASE_TIMEOUT_MS,
  );
}
