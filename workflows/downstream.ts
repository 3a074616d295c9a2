/**
 * The children below a root or relay workflow, and the issuer's messages on their way to
 * them. Revocations and amendments received during the fan-out are held until it has
 * returned, then passed on once (forward-once patch); before the patch the handler passed
 * them at once and again after the fan-out, so early children got each message twice.
 * A child that fails or is terminated is recorded as an incident and counted closed.
 */
import * as wf from '@temporalio/workflow';
import { amendSignal, revokeSignal, type AmendInput, type RevokeInput } from '../contract/definitions';
import { ChildSet, forwardSignal } from './propagation';
import { recordLostChild, watchChild } from './incidents';
import { PATCHES } from './patches';

export class Downstream {
  readonly children = new ChildSet();
  revoked: RevokeInput | null = null;
  /** The latest amendment version received. */
  version = 0;
  /** Every amendment received, in order (the pre-patch relay re-sent them all). */
  readonly amendments: AmendInput[] = [];
  private readonly held: Array<{ kind: 'revoke'; arg: RevokeInput } | { kind: 'amend'; arg: AmendInput }> = [];
  private done = false;

  /**
   * `closesByResult`: the children were started with `closeNotice: 'on-request'`, so their
   * results say when they close (run-start-v6); otherwise their childClosed signals do.
   */
  constructor(
    private readonly cascade: { directiveId: string; issuerCode: string },
    private readonly closesByResult = false,
  ) {}

  /** Registers the revoke and amend handlers. */
  listen(): void {
    wf.setHandler(revokeSignal, (r) => {
      this.revoked = r;
      this.pass({ kind: 'revoke', arg: r });
    });
    wf.setHandler(amendSignal, (a) => {
      this.version = Math.max(this.version, a.version);
      this.amendments.push(a);
      this.pass({ kind: 'amend', arg: a });
    });
  }

  /** For fanOut's onStarted: notices a child that is lost, or (closesByResult) that closed. */
  watch = (childId: string, result: Promise<unknown>): void =>
    watchChild(
      result,
      (err) => this.lost(childId, err),
      this.closesByResult ? () => this.children.closed(childId) : undefined,
    );

  /** For a child that always signals its close (a task part): notices only that it is lost. */
  watchLost = (childId: string, result: Promise<unknown>): void => watchChild(result, (err) => this.lost(childId, err));

  private async lost(childId: string, err: unknown): Promise<void> {
    await recordLostChild(this.cascade, childId, err);
    this.children.closed(childId);
  }

  /**
   * The fan-out returned: its children are tracked, held messages reach them now.
   * `unpatched` is what the workflow did here before the forward-once patch.
   */
  fannedOut(started: string[], unpatched: () => void): void {
    this.children.added(started);
    this.done = true;
    if (wf.patched(PATCHES.forwardOnce)) {
      for (const m of this.held.splice(0)) this.send(m);
    } else unpatched();
  }

  private pass(m: { kind: 'revoke'; arg: RevokeInput } | { kind: 'amend'; arg: AmendInput }): void {
    if (!wf.patched(PATCHES.forwardOnce) || this.done) this.send(m);
    else this.held.push(m);
  }

  private send(m: { kind: 'revoke'; arg: RevokeInput } | { kind: 'amend'; arg: AmendInput }): void {
    if (m.kind === 'revoke') forwardSignal(this.children.ids, revokeSignal, m.arg);
    else forwardSignal(this.children.ids, amendSignal, m.arg);
  }
}
