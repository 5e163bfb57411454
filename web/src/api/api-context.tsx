import { createContext, useContext, type ReactNode } from 'react';
import type { SluiceClient } from './sluice-client';

const ApiContext = createContext<SluiceClient | null>(null);

/** Provides the one API client to every hook; tests pass a client pointed at a real test server. */
export function ApiProvider({ client, children }: { client: SluiceClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApiClient(): SluiceClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApiClient outside <ApiProvider>');
  return client;
}
