import { useRequest, type RequestOptions } from './use-request';

/** GET /api/v1/auth/session: who the UI is talking as (401 when nobody). */
export const useSessionRequest = () => useRequest((c, s) => c.auth.session(s), 'session');

export const useApiTokens = (options?: RequestOptions) => useRequest((c, s) => c.auth.tokens(s), 'tokens', options);

export const useUsers = (options?: RequestOptions) => useRequest((c, s) => c.auth.users(s), 'users', options);
