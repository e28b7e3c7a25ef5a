import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { isAbortError, sendHeartbeat, serverClockOffset, toUiError, type UiError } from './api';

/** Current time in ms, refreshed every `intervalMs`. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** The server's current time in ms, refreshed every `intervalMs`: use it for SLA countdowns. */
export function useServerNow(intervalMs: number): number {
  return useNow(intervalMs) + serverClockOffset();
}

/**
 * A stable function that runs the latest `action` once, `delayMs` after the last of a burst of
 * calls: one change on the server often sends several live messages, and each refetch costs.
 */
export function useCoalesced(action: () => void, delayMs: number): () => void {
  const latest = useRef(action);
  latest.current = action;
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => latest.current(), delayMs);
  }, [delayMs]);
}

/** Calls `action` every `intervalMs` while mounted and `enabled`. */
export function useInterval(action: () => void, intervalMs: number, enabled = true): void {
  const latest = useRef(action);
  latest.current = action;
  useEffect(() => {
    if (!enabled) return;
    const timer = window.setInterval(() => latest.current(), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs, enabled]);
}

export const HEARTBEAT_MS = 30_000;

/**
 * While `enabled` (someone who works the queue is signed in), tells the server every 30 s that the
 * console is open: an available person whose console falls silent is given no more work.
 */
export function useHeartbeat(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const beat = () => {
      // A failed beat is not worth an error: the next one follows, and a 401 ends the session anyway.
      sendHeartbeat().catch(() => undefined);
    };
    beat();
    const timer = window.setInterval(beat, HEARTBEAT_MS);
    return () => window.clearInterval(timer);
  }, [enabled]);
}

export interface Resource<T> {
  data: T | null;
  error: UiError | null;
  loading: boolean;
  /** Refetch without clearing the data already shown. */
  reload: () => void;
}

/**
 * Load data with `load`, refetching when `deps` change or `reload` is called.
 * Stale responses are discarded by aborting the previous request.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    load(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (controller.signal.aborted || isAbortError(err)) return;
        setError(toUiError(err));
        setLoading(false);
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, loading, reload };
}

/**
 * The busy flag and error of one form. `run` marks it busy, and on success clears the error; a
 * failure is shown with the server's reason (and `onFailure` may react, e.g. refetch).
 */
export function useSubmission() {
  const [error, setError] = useState<UiError | null>(null);
  const [busy, setBusy] = useState(false);
  async function run(action: () => Promise<void>, onFailure?: () => void): Promise<void> {
    setBusy(true);
    try {
      await action();
      setError(null);
    } catch (err) {
      setError(toUiError(err));
      onFailure?.();
    } finally {
      setBusy(false);
    }
  }
  return { error, setError, busy, run };
}
