/**
 * The children below a root or relay workflow, and the issuer's messages on their way to
 * them. Revocations and amendments received during the fan-out are held until it has
 * returned, then passed on once, so that children being started hear them too and none
 * hears one twice. A child that fails or is terminated is recorded as an incident and
 * counted closed.
 */
import * as wf from '@temporalio/workflow';
import { amendSignal, revokeSignal, type AmendInput, type RevokeInput } from '../contract/definitions';
import { ChildSet, forwardSignal } from './propagation';
import { recordLostChild, watchChild } from './incidents';

type Message = { kind: 'revoke'; arg: RevokeInput } | { kind: 'amend'; arg: AmendInput };

export class Downstream {
  readonly children = new ChildSet();
  revoked: RevokeInput | null = null;
  /** The latest directive version received: children started from now on start with it. */
  version = 0;
  private readonly held: Message[] = [];
  private done = false;

  constructor(private readonly cascade: { directiveId: string; issuerCode: string }) {}

  /** Registers the revoke and amend handlers. */
  listen(): void {
    wf.setHandler(revokeSignal, (r) => {
      this.revoked = r;
      this.pass({ kind: 'revoke', arg: r });
    });
    wf.setHandler(amendSignal, (a) => {
      this.version = Math.max(this.version, a.version);
      this.pass({ kind: 'amend', arg: a });
    });
  }

  /** For fanOut's onStarted: notices a child that closed (its result) or is lost. */
  watch = (childId: string, result: Promise<unknown>): void =>
    watchChild(
      result,
      (err) => this.lost(childId, err),
      () => this.children.closed(childId),
    );

  /** For a child that signals its close (a task part): notices only that it is lost. */
  watchLost = (childId: string, result: Promise<unknown>): void => watchChild(result, (err) => this.lost(childId, err));

  /** The fan-out returned: its children are tracked, held messages reach them now. */
  fannedOut(started: string[]): void {
    this.children.added(started);
    this.done = true;
    for (const m of this.held.splice(0)) this.send(m);
  }

  private async lost(childId: string, err: unknown): Promise<void> {
    await recordLostChild(this.cascade, childId, err);
    this.children.closed(childId);
  }

  private pass(m: Message): void {
    if (this.done) this.send(m);
    else this.held.push(m);
  }

  private send(m: Message): void {
    if (m.kind === 'revoke') forwardSignal(this.children.ids, revokeSignal, m.arg);
    else forwardSignal(this.children.ids, amendSignal, m.arg);
  }
}
