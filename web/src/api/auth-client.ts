import type { ApiToken, CreatedToken, Scope, Session, User } from './auth-types';
import type { Transport } from './http-transport';

/** Login, the first-start setup, and the API tokens and accounts an administrator manages. */
export interface AuthClient {
  session(signal?: AbortSignal): Promise<Session>;
  login(username: string, password: string): Promise<Session>;
  logout(): Promise<void>;
  setup(setupToken: string, username: string, password: string): Promise<Session>;
  changePassword(currentPassword: string, newPassword: string): Promise<void>;

  tokens(signal?: AbortSignal): Promise<ApiToken[]>;
  createToken(name: string, scopes: Scope[]): Promise<CreatedToken>;
  revokeToken(id: string): Promise<ApiToken>;

  users(signal?: AbortSignal): Promise<User[]>;
  addUser(username: string, password: string, scopes: Scope[]): Promise<User>;
  deleteUser(username: string): Promise<void>;
}

export function createAuthClient(t: Transport): AuthClient {
  const enc = encodeURIComponent;
  return {
    session: (signal) => t.json('GET', '/api/v1/auth/session', { signal }),
    login: (username, password) => t.json('POST', '/api/v1/auth/login', { body: { username, password } }),
    logout: () => t.json('POST', '/api/v1/auth/logout'),
    setup: (setupToken, username, password) => t.json('POST', '/api/v1/auth/setup', { body: { setupToken, username, password } }),
    changePassword: (currentPassword, newPassword) => t.json('POST', '/api/v1/auth/password', { body: { currentPassword, newPassword } }),

    tokens: async (signal) => (await t.json<{ tokens: ApiToken[] }>('GET', '/api/v1/tokens', { signal })).tokens,
    createToken: (name, scopes) => t.json('POST', '/api/v1/tokens', { body: { name, scopes } }),
    revokeToken: (id) => t.json('DELETE', `/api/v1/tokens/${enc(id)}`),

    users: async (signal) => (await t.json<{ users: User[] }>('GET', '/api/v1/users', { signal })).users,
    addUser: (username, password, scopes) => t.json('POST', '/api/v1/users', { body: { username, password, scopes } }),
    deleteUser: (username) => t.json('DELETE', `/api/v1/users/${enc(username)}`),
  };
}
