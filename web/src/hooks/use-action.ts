import { useCallback, useState } from 'react';
import { useApiClient } from '../api/api-context';
import type { SluiceClient } from '../api/sluice-client';

export interface ActionState<A extends unknown[], T> {
  run(...args: A): Promise<T | undefined>;
  pending: boolean;
  error: Error | undefined;
  clearError(): void;
}

/** A write (create, delete, commit): tracks pending and the last error; returns undefined when it failed. */
export function useAction<A extends unknown[], T>(action: (client: SluiceClient, ...args: A) => Promise<T>): ActionState<A, T> {
  const client = useApiClient();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const run = useCallback(
    async (...args: A) => {
      setPending(true);
      setError(undefined);
      try {
        return await action(client, ...args);
      } catch (err) {
        setError(err as Error);
        return undefined;
      } finally {
        setPending(false);
      }
    },
    // The action is a module-level function in every caller; the client is what may change.
    [client],
  );
  return { run, pending, error, clearError: useCallback(() => setError(undefined), []) };
}
