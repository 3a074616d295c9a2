/**
 * A part of the system away for a moment (the database restarting, the workflow engine
 * reconnecting): the API answers 503 with Retry-After, the seconds until a retry can succeed.
 * The dashboard then says the system is recovering and tries again itself, instead of
 * showing an error the user would have to act on.
 */
import { ApiFailure } from './api/client';
import type { Lang } from './i18n';

/** What the page says meanwhile, Vietnamese first. */
export function recoveringText(seconds: number, lang: Lang): string {
  return lang === 'vi'
    ? `Hệ thống đang phục hồi; tự động thử lại sau ${seconds} giây.`
    : `The system is recovering; retrying in ${seconds} s.`;
}

/** Seconds until a retry can succeed, when `err` is such a 503; else undefined. */
export function recoveringIn(err: unknown): number | undefined {
  return err instanceof ApiFailure && err.status === 503 ? err.retryAfter : undefined;
}

/** How long an action keeps retrying through an outage before it shows the error. */
export const GIVE_UP_AFTER_S = 120;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `send`; while it fails with a recovering 503, tells `onWait` how many seconds until
 * the next attempt, waits that long and tries again — for at most GIVE_UP_AFTER_S in all,
 * after which the last failure is thrown. Any other failure is thrown at once.
 */
export async function retryWhileRecovering<T>(
  send: () => Promise<T>,
  onWait: (seconds: number | null) => void,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<T> {
  let waited = 0;
  for (;;) {
    try {
      const result = await send();
      onWait(null);
      return result;
    } catch (err) {
      const seconds = recoveringIn(err);
      if (seconds === undefined || waited + seconds > GIVE_UP_AFTER_S) {
        onWait(null);
        throw err;
      }
      onWait(seconds);
      await wait(seconds * 1000);
      waited += seconds;
    }
  }
}
