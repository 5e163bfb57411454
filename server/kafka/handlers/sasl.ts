import { route, type Route } from '../broker/route.js';
import { authenticatePlain } from '../broker/sasl-plain.js';
import { KafkaError } from '../protocol/error-codes.js';
import { saslAuthenticateApi, saslHandshakeApi } from '../protocol/requests/index.js';
import type { HandlerDeps } from './handler-deps.js';

const PLAIN = 'PLAIN';

/** SaslHandshake: PLAIN is the one mechanism. After v0 the token follows as a bare frame (see connection.ts). */
export function saslHandshakeRoute(): Route {
  return route(saslHandshakeApi, (request, ctx) => {
    if (request.mechanism !== PLAIN) return { errorCode: KafkaError.UNSUPPORTED_SASL_MECHANISM, mechanisms: [PLAIN] };
    ctx.session.mechanism = PLAIN;
    if (ctx.header.apiVersion === 0) ctx.session.expectsRawToken = true;
    return { errorCode: KafkaError.NONE, mechanisms: [PLAIN] };
  });
}

/** SaslAuthenticate: a failure is answered, then the connection closes, as Kafka does. */
export function saslAuthenticateRoute(deps: HandlerDeps): Route {
  return route(saslAuthenticateApi, async (request, ctx) => {
    if (ctx.session.mechanism !== PLAIN) return { errorCode: KafkaError.ILLEGAL_SASL_STATE, errorMessage: 'SaslHandshake must come first' };
    const outcome = await authenticatePlain(request.authBytes, ctx.session, deps.authenticate);
    if (outcome.ok) return { errorCode: KafkaError.NONE, errorMessage: null };
    ctx.session.closeAfterResponses = true;
    return { errorCode: KafkaError.SASL_AUTHENTICATION_FAILED, errorMessage: outcome.message };
  });
}
