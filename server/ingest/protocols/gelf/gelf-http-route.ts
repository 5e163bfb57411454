import { Hono } from 'hono';
import type { IncomingMessage } from 'node:http';
import { isSluiceError, SluiceError } from '../../../errors.js';
import { readBody } from '../../../http/body.js';
import type { LogEntrySink } from '../entry-batcher.js';
import { peerHost } from '../entry-time.js';
import { RecentLabelSets } from '../recent-label-sets.js';
import { gelfEntry } from './gelf-entry.js';
import { readGelfMessages } from './gelf-message-reader.js';
import { decodeGelfPayload } from './gelf-payload.js';

/**
 * `POST /gelf`, Graylog's GELF HTTP input: a body of one GELF message (or several, one per line, as
 * Graylog's bulk mode takes), plain or compressed (Content-Encoding: gzip, or a zlib/gzip body told by
 * its first bytes, as Graylog does). 202 with an empty body once every message is durable, as Graylog
 * answers; a bad message is 400 and nothing of the request is written. Auth is the HTTP API's.
 */
export function gelfRoutes(sink: LogEntrySink, maxBodyBytes: number): Hono {
  const app = new Hono();
  app.post('/gelf', async (c) => {
    const body = decodeGelfPayload(await readBody(c, maxBodyBytes), maxBodyBytes);
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const sender = peerHost(incoming?.socket.remoteAddress ?? 'unknown');
    const messages = readGelfMessages(body);
    const labelSets = new RecentLabelSets();
    const entries = messages.map((message, i) => {
      try {
        return gelfEntry(message, sender, labelSets).entry;
      } catch (err) {
        // In a bulk body, say which message; a single one needs no number.
        if (messages.length === 1 || !isSluiceError(err)) throw err;
        throw new SluiceError(err.code, `message ${i + 1}: ${err.message}`);
      }
    });
    await sink.ingestLogs(entries);
    return c.body(null, 202);
  });
  return app;
}
