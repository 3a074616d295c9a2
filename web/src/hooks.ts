/** Loading and live refresh: polled reads of the read model while the page is visible. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { recoveringIn } from './recovering';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** When the last successful load finished. */
  at: Date | undefined;
  reload: () => void;
}

/**
 * Loads `load()` when `key` changes and, with `everyMs`, again on that period while the tab
 * is visible (a hidden tab polls nothing). The last good data stays on screen when a
 * refresh fails; the error is reported beside it.
 */
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  key: string,
  everyMs?: number,
): Loaded<T> {
  const [state, setState] = useState<{
    key: string;
    data?: T;
    error?: unknown;
    loading: boolean;
    at?: Date;
  }>({ key, loading: true });
  const loadRef = useRef(load);
  loadRef.current = load;
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => (s.key === key ? { ...s, loading: true } : { key, loading: true }));
    loadRef.current(controller.signal).then(
      (data) =>
        !controller.signal.aborted && setState({ key, data, loading: false, at: new Date() }),
      (error: unknown) =>
        !controller.signal.aborted && setState((s) => ({ ...s, key, error, loading: false })),
    );
    return () => controller.abort();
  }, [key, tick]);

  // The system is recovering (503 with Retry-After): load again when it says a retry can
  // succeed, whether or not the page polls.
  const retryIn = state.key === key ? recoveringIn(state.error) : undefined;
  useEffect(() => {
    if (retryIn === undefined) return;
    const timer = setTimeout(reload, retryIn * 1000);
    return () => clearTimeout(timer);
  }, [retryIn, state.error, reload]);

  useEffect(() => {
    if (!everyMs) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setTick((n) => n + 1);
    }, everyMs);
    return () => clearInterval(timer);
  }, [key, everyMs]);

  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: current ? state.loading : true,
    at: current ? state.at : undefined,
    reload,
  };
}

/** The current time, re-read every `everyMs` (for "overdue for 3 min" that keeps counting). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
