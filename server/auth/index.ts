export { AuthService, type AuthSettings, type LoginResult } from './auth-service.js';
export { openAuthDb } from './auth-db.js';
export { ANONYMOUS, describeIdentity, hasScope, type Identity } from './identity.js';
export { ALL_SCOPES, SCOPES, parseScopes, type Scope } from './scopes.js';
export { TokenStore, type TokenInfo } from './token-store.js';
export { UserStore, type UserInfo } from './user-store.js';
export { MIN_PASSWORD_LENGTH } from './password-hash.js';
