/**
 * Sends notifications to people by e-mail, over SMTP (nodemailer), from the outbox:
 * 1. expand: each outbox message not yet expanded becomes one delivery per recipient contact
 *    (or one "no recipient" row), each due at the next office hours on the policy's calendar;
 * 2. drain: deliveries are claimed and sent under the leased discipline the webhook uses
 *    (worker/leased-drain.ts), one e-mail each.
 * Each e-mail carries a Message-ID built from the message and contact ids, so the rare
 * duplicate (sent, then the process died before marking it) is recognisable by any mail
 * client. An SMTP server that is down or answers 4xx is retried with back-off; a 5xx answer
 * (a refused address) is recorded as FAILED with the server's reason and never retried.
 * The webhook sender is separate and unchanged: it drains the same outbox for machines.
 */
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Db } from '../read-model/db';
import {
  calendarsOf,
  contactsOfUnits,
  mailMaterial,
  mailQueue,
  recordExpansion,
  unexpandedMessages,
  type ClaimedDelivery,
} from '../read-model/mail-deliveries';
import { planDeliveries } from '../domain/notifications/deliveries';
import { renderMail } from '../domain/notifications/templates';
import type { OfficeHours } from '../domain/notifications/working-hours';
import type { MailLanguage } from '../domain/notifications/obligation-words';
import {
  drainBatch,
  drainSettings,
  startDrainLoop,
  type BatchResult,
  type DeliveryOutcome,
  type DrainOptions,
  type DrainSettings,
} from './leased-drain';

export interface MailSenderOptions extends DrainOptions {
  db: Db;
  /** smtp://host:port (or smtps://user:pass@host:port). */
  smtpUrl: string;
  /** The From address, e.g. "Theo dõi văn bản <no-reply@example.gov.vn>". */
  from: string;
  /** Where the dashboard is served, for the links in e-mails. */
  dashboardUrl: string;
  officeHours: OfficeHours;
  /** Pause between polls when nothing was due. */
  pollMs: number;
  /** "Now" for office hours (tests pass a fixed clock); the database's clock decides when rows are due. */
  clock?: () => Date;
}

/** The Message-ID of one message to one contact: the same on every attempt. */
export function mailMessageId(messageId: string, contactId: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'directive-cascade.local';
  const local = Buffer.from(`${messageId}|${contactId}`).toString('base64url');
  return `<${local}@${domain}>`;
}

/** Whether an SMTP error is a refusal for good: a 5xx reply. Everything else is retried. */
function outcomeOf(err: unknown): DeliveryOutcome {
  const e = (err ?? {}) as { responseCode?: number; response?: string; message?: string; code?: string };
  const error = e.response ?? e.message ?? String(err);
  if (typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600) {
    return { ok: false, error, permanent: true };
  }
  return { ok: false, error: e.code ? `${e.code}: ${error}` : error };
}

/** Expands up to `limit` outbox messages into deliveries; returns how many it expanded. */
export async function expandOutbox(db: Db, hours: OfficeHours, now: Date, limit = 200): Promise<number> {
  const messages = await unexpandedMessages(db, limit);
  if (messages.length === 0) return 0;
  const units = [...new Set(messages.map((m) => m.recipientUnit).filter((u): u is string => !!u))];
  const [contacts, calendars] = await Promise.all([
    contactsOfUnits(db, units),
    calendarsOf(db, [...new Set(messages.flatMap((m) => (m.directiveId ? [m.directiveId] : [])))]),
  ]);
  for (const m of messages) {
    // No directive to name a calendar (a digest): people's office hours apply.
    const calendar = (m.directiveId && calendars.get(m.directiveId)) || 'vn-working-days';
    await recordExpansion(db, m.id, planDeliveries(m, contacts, calendar, hours, now));
  }
  return messages.length;
}

async function sendOne(opts: MailSenderOptions, transport: Transporter, d: ClaimedDelivery): Promise<DeliveryOutcome> {
  try {
    const m = await mailMaterial(opts.db, d);
    const mail = renderMail({
      kind: d.kind,
      payload: m.payload,
      language: (d.language === 'en' ? 'en' : 'vi') as MailLanguage,
      directive: m.directive,
      unitNames: m.unitNames,
      recipientName: m.recipientName,
      dashboardUrl: opts.dashboardUrl.replace(/\/+$/, ''),
    });
    await transport.sendMail({
      from: opts.from,
      to: d.email,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mailMessageId(d.messageId, d.contactId, opts.from),
      headers: { 'X-Cascade-Message-Id': d.messageId },
    });
    return { ok: true };
  } catch (err) {
    return outcomeOf(err);
  }
}

export interface MailSender {
  /** Expands and sends one batch; what it claimed and sent. */
  round(): Promise<BatchResult>;
  close(): void;
}

export function createMailSender(opts: MailSenderOptions): MailSender & { settings: DrainSettings } {
  const s = drainSettings(opts, 'mail');
  const transport = nodemailer.createTransport({
    url: opts.smtpUrl,
    pool: true,
    maxConnections: s.concurrency,
    connectionTimeout: s.requestTimeoutMs,
    greetingTimeout: s.requestTimeoutMs,
    socketTimeout: s.requestTimeoutMs,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  const clock = opts.clock ?? (() => new Date());
  return {
    settings: s,
    async round() {
      const expanded = await expandOutbox(opts.db, opts.officeHours, clock(), s.batchSize);
      const sent = await drainBatch(opts.db, mailQueue, s, (d) => sendOne(opts, transport, d), 'e-mail delivery');
      return { claimed: Math.max(sent.claimed, expanded), delivered: sent.delivered };
    },
    close: () => transport.close(),
  };
}

/** Expands and sends until stopped. */
export function startMailSender(opts: MailSenderOptions): { stop(): Promise<void> } {
  const sender = createMailSender(opts);
  const loop = startDrainLoop(() => sender.round(), { pollMs: opts.pollMs, batchSize: sender.settings.batchSize, what: 'mail' });
  return {
    async stop() {
      await loop.stop();
      sender.close();
    },
  };
}
