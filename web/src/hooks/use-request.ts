import { useCallback, useEffect, useRef, useState } from 'react';
import { useApiClient } from '../api/api-context';
import type { SluiceClient } from '../api/sluice-client';

export interface RequestState<T> {
  data: T | undefined;
  error: Error | undefined;
  /** True until the first answer (or error) for the current inputs; polling keeps showing old data. */
  loading: boolean;
  reload(): void;
}

export interface RequestOptions {
  /** Poll every this many ms while mounted. */
  refreshMs?: number;
  /** False: do not call at all (e.g. no query typed yet). */
  enabled?: boolean;
}

/**
 * The one data-loading primitive behind every endpoint hook: calls `run` when `key` changes, aborts the
 * previous call, optionally polls, and never lets a stale answer overwrite a newer one.
 */
export function useRequest<T>(run: (client: SluiceClient, signal: AbortSignal) => Promise<T>, key: string, options: RequestOptions = {}): RequestState<T> {
  const client = useApiClient();
  const { refreshMs, enabled = true } = options;
  const [state, setState] = useState<{ key: string; data: T | undefined; error: Error | undefined; done: boolean }>({
    key,
    data: undefined,
    error: undefined,
    done: false,
  });
  const [tick, setTick] = useState(0);
  const runRef = useRef(run);
  runRef.current = run;

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const data = await runRef.current(client, controller.signal);
        if (!controller.signal.aborted) setState({ key, data, error: undefined, done: true });
      } catch (err) {
        if (!controller.signal.aborted) setState((s) => ({ key, data: s.key === key ? s.data : undefined, error: err as Error, done: true }));
      }
      if (refreshMs && !controller.signal.aborted) timer = setTimeout(load, refreshMs);
    };
    setState((s) => (s.key === key ? s : { key, data: undefined, error: undefined, done: false }));
    void load();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [client, key, enabled, refreshMs, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: enabled && (!current || !state.done),
    reload,
  };
}
