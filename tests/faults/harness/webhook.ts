/**
 * A webhook endpoint the fault cases control: records every delivery's
 * `X-Cascade-Message-Id`, and can be made slow or failing on demand.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type WebhookMode = { kind: 'ok' } | { kind: 'slow'; delayMs: number } | { kind: 'failing'; status: number };

export interface Receipt {
  id: string;
  at: number;
  /** What the receiver answered. */
  status: number;
}

export class WebhookReceiver {
  readonly receipts: Receipt[] = [];
  mode: WebhookMode = { kind: 'ok' };
  private server: http.Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = String(req.headers['x-cascade-message-id'] ?? '');
        const mode = this.mode;
        const answer = (status: number) => {
          this.receipts.push({ id, at: Date.now(), status });
          res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
        };
        if (mode.kind === 'failing') answer(mode.status);
        else if (mode.kind === 'slow') setTimeout(() => answer(200), mode.delayMs);
        else answer(200);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/notify`;
  }

  /** Ids answered 2xx (a delivery the sender may still have failed to mark: it will resend). */
  accepted(): Receipt[] {
    return this.receipts.filter((r) => r.status < 300);
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }
}
