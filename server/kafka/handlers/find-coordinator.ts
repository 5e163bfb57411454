import { route, type Route } from '../broker/route.js';
import { KafkaError } from '../protocol/error-codes.js';
import { findCoordinatorApi } from '../protocol/requests/index.js';
import { NODE_ID, type HandlerDeps } from './handler-deps.js';

const GROUP_KEY_TYPE = 0;

/** FindCoordinator: this broker, for every group. Transactions have no coordinator here. */
export function findCoordinatorRoute(deps: HandlerDeps): Route {
  return route(findCoordinatorApi, (request) => {
    const { host, port } = deps.advertised();
    const errorCode = request.keyType === GROUP_KEY_TYPE ? KafkaError.NONE : KafkaError.COORDINATOR_NOT_AVAILABLE;
    const errorMessage = errorCode === KafkaError.NONE ? null : 'transactions are not supported';
    const found = errorCode === KafkaError.NONE ? { nodeId: NODE_ID, host, port } : { nodeId: -1, host: '', port: -1 };
    return {
      errorCode,
      errorMessage,
      ...found,
      coordinators: request.coordinatorKeys.map((key) => ({ key, ...found, errorCode, errorMessage })),
    };
  });
}
