import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { isAbortError, toUiError, type UiError } from './api';

/** Current time in ms, refreshed every `intervalMs`. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
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
