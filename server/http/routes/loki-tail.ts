import { upgradeWebSocket, type WebSocketLike } from '@hono/node-server';
import { Hono } from 'hono';
import { SluiceError } from '../../errors.js';
import type { PreparedTail } from '../../query/query-service.js';
import type { TailSession, TailSink } from '../../query/tail/tail-session.js';
import { lokiParams, parseTailQuery, parseTopic } from '../loki/params.js';
import type { QueryApiDeps } from './loki.js';

/**
 * GET /loki/api/v1/tail: Loki's live tail over a WebSocket. Parameters are checked and the history read
 * before the upgrade, so a bad query is an HTTP 400 (with the JSON error body) rather than a socket
 * that opens and closes.
 */
export function lokiTailRoutes(deps: QueryApiDeps, nowNs: () => bigint): Hono<{ Variables: { tail: PreparedTail } }> {
  const app = new Hono<{ Variables: { tail: PreparedTail } }>();

  app.get(
    '/tail',
    async (c, next) => {
      if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
        throw new SluiceError('invalid_request', '/loki/api/v1/tail is a WebSocket endpoint; connect with a WebSocket client');
      }
      const params = lokiParams(new URL(c.req.url).searchParams);
      const request = { ...parseTailQuery(params, nowNs(), deps.limits), topic: parseTopic(params) };
      deps.tails.reserve();
      c.set('tail', await deps.queries.prepareTail(request, nowNs(), c.req.raw.signal));
      await next();
    },
    upgradeWebSocket((c) => {
      const prepared: PreparedTail = c.get('tail');
      let session: TailSession | null = null;
      return {
        onOpen(_event, ws) {
          const raw = ws.raw as WebSocketLike & { bufferedAmount: number };
          const sink: TailSink = {
            send: (text) => ws.send(text),
            bufferedBytes: () => raw.bufferedAmount,
            close: (code, reason) => ws.close(code, reason),
          };
          session = prepared.open(sink);
          deps.tails.add(session);
        },
        onClose() {
          session?.stop();
        },
        onError() {
          session?.stop();
        },
      };
    }),
  );

  return app;
}
