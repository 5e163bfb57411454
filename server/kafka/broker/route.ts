import type { ApiDefinition } from '../protocol/api.js';
import type { RequestHeader } from '../protocol/request-header.js';
import type { Decoded, Encodable, Shape } from '../protocol/schema.js';
import type { Session } from './session.js';

export interface RequestContext {
  header: RequestHeader;
  session: Session;
}

/**
 * One API's handler as the broker dispatches it: the request decoded for the negotiated version, the
 * response returned as a value the codec encodes at that version, or null for no response at all
 * (Produce with acks=0).
 */
export interface Route {
  readonly api: ApiDefinition<Shape, Shape>;
  handle(request: Decoded<Shape>, ctx: RequestContext): Promise<Encodable<Shape> | null> | Encodable<Shape> | null;
}

export function route<Q extends Shape, P extends Shape>(
  api: ApiDefinition<Q, P>,
  handle: (request: Decoded<Q>, ctx: RequestContext) => Promise<Encodable<P> | null> | Encodable<P> | null,
): Route {
  return { api: api as unknown as ApiDefinition<Shape, Shape>, handle: handle as Route['handle'] };
}
