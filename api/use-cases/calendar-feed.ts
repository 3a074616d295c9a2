/**
 * A unit's calendar feed: every open deadline as an RFC 5545 event with an alarm, generated
 * with ical-generator, behind a separate, revocable feed secret (never an API token: a
 * calendar application keeps the URL in plain sight). The secret is stored as its sha256.
 */
import crypto from 'node:crypto';
import ical, { ICalAlarmType } from 'ical-generator';
import type { Store } from '../../read-model/repositories';
import { obligationInWords } from '../../domain/notifications/obligation-words';
import { sha256, type Principal } from '../auth';
import { ApiError } from '../errors';
import { actorFor } from '../permissions';

export type FeedStore = Pick<Store, 'units' | 'calendarFeeds'>;

/** How long before a deadline the calendar application reminds. */
const ALARM_BEFORE_S = 24 * 3600;
/** A deadline is shown as a short event ending at it. */
const EVENT_LENGTH_MS = 30 * 60_000;

const feedPath = (code: string, key: string) => `/api/v1/units/${encodeURIComponent(code)}/calendar.ics?key=${encodeURIComponent(key)}`;

/** Issues the unit's feed secret, revoking the previous one; shown once. */
export async function rotateCalendarFeed(store: FeedStore, p: Principal, code: string) {
  actorFor(p, code, 'manageNotifications');
  if (!(await store.units.pathOf(code))) throw new ApiError(404, 'NOT_FOUND', `unit ${code} not found`);
  const key = `cf_${crypto.randomBytes(24).toString('base64url')}`;
  await store.calendarFeeds.rotate(code, sha256(key).toString('hex'));
  return { unitCode: code, key, url: feedPath(code, key) };
}

export async function revokeCalendarFeed(store: FeedStore, p: Principal, code: string): Promise<void> {
  actorFor(p, code, 'manageNotifications');
  if ((await store.calendarFeeds.revoke(code)) === 0) throw new ApiError(404, 'NOT_FOUND', `${code} has no calendar feed`);
}

/**
 * The feed, for whoever holds the unit's live feed secret: 404 for an unknown unit (unit codes
 * are the public administrative codes), 401 for a wrong, rotated or revoked key.
 */
export async function calendarFeed(store: FeedStore, code: string, key: string, dashboardUrl: string): Promise<string> {
  const unit = await store.units.get(code);
  if (!unit) throw new ApiError(404, 'NOT_FOUND', `unit ${code} not found`);
  // Looked up by its digest, so no comparison leaks how much of the key matched.
  if (!(await store.calendarFeeds.isLive(code, sha256(key).toString('hex')))) {
    throw new ApiError(401, 'UNAUTHENTICATED', 'unknown or revoked calendar feed key');
  }
  const cal = ical({ name: `Hạn xử lý văn bản — ${unit.name}`, prodId: { company: 'directive-cascade', product: 'deadlines', language: 'VI' } });
  for (const o of await store.calendarFeeds.openDeadlines(code)) {
    const what = obligationInWords(o.key, 'vi');
    const link = `${dashboardUrl}/dashboard/#/d/${encodeURIComponent(o.directiveId)}/u/${encodeURIComponent(code)}`;
    const event = cal.createEvent({
      id: `${o.id}@directive-cascade`,
      start: new Date(o.deadline.getTime() - EVENT_LENGTH_MS),
      end: o.deadline,
      summary: `Hạn ${what} — ${o.number}`,
      description: `${o.number}: ${o.title}\n${link}`,
      url: link,
    });
    event.createAlarm({ type: ICalAlarmType.display, trigger: ALARM_BEFORE_S, description: `Sắp đến hạn: ${what} — ${o.number}` });
  }
  return cal.toString();
}
