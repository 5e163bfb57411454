import { route, type Route } from '../broker/route.js';
import { KafkaError } from '../protocol/error-codes.js';
import { initProducerIdApi } from '../protocol/requests/index.js';
import type { HandlerDeps } from './handler-deps.js';
import { errorCodeOf } from './store-errors.js';

const MAX_EPOCH = 32767;

/**
 * InitProducerId for idempotent producers (no transactions). A v3+ producer that presents its id and
 * epoch (after an error, KIP-360) gets the same id with the next epoch, which restarts its sequences.
 */
export function initProducerIdRoute(deps: HandlerDeps): Route {
  return route(initProducerIdApi, async (request, ctx) => {
    if (!ctx.session.can('ingest')) return { errorCode: KafkaError.CLUSTER_AUTHORIZATION_FAILED };
    if (request.transactionalId !== null) return { errorCode: KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED };
    if (request.producerId >= 0 && request.producerEpoch >= 0 && request.producerEpoch < MAX_EPOCH) {
      return { errorCode: KafkaError.NONE, producerId: request.producerId, producerEpoch: request.producerEpoch + 1 };
    }
    try {
      const issued = await deps.store.initProducerId();
      return { errorCode: KafkaError.NONE, ...issued };
    } catch (err) {
      return { errorCode: errorCodeOf(err, deps.logger) };
    }
  });
}
