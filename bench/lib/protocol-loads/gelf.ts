import http from 'node:http';
import graygelf from 'graygelf';
import Log2gelf from 'winston-log2gelf';
import { sleep } from '../stats.js';
import { apiLogsPerLineLoad } from './api-logs.js';
import { STORED_POLL_MS, StoredLines, storedLines, waitUntilStored } from '../stored-lines.js';
import { listenerNumber, listenerPort, listenerServerArgs } from './listener-ports.js';
import { packageVersion, yieldToLoop, type ProtocolLoad } from './protocol-load.js';

/**
 * Lines handed to the UDP client ahead of what the server has stored. Their datagrams must fit the
 * listener's socket receive buffer, else the kernel drops them: the window is that buffer (as the
 * server logs it) over a generous 2 KiB of kernel accounting per ~250-byte datagram, at most 4,000.
 * The listener asks for 4 MiB, which Linux reports as 8 MiB where net.core.rmem_max allows it (here):
 * 4,000 lines; under the kernel's default cap of ~208 KiB (reported as 416 KiB), 208. A lost datagram
 * would show: the run waits for every line to be stored.
 */
const MIN_WINDOW_LINES = 100;
const MAX_WINDOW_LINES = 4_000;
/** The window when the server does not log its buffer (an older build): the former fixed value. */
const UNKNOWN_BUFFER_WINDOW_LINES = 1_500;
const KERNEL_BYTES_PER_DATAGRAM = 2048;

function windowLines(receiveBufferBytes: number | null): number {
  if (receiveBufferBytes === null) return UNKNOWN_BUFFER_WINDOW_LINES;
  return Math.max(MIN_WINDOW_LINES, Math.min(MAX_WINDOW_LINES, Math.floor(receiveBufferBytes / KERNEL_BYTES_PER_DATAGRAM)));
}
/**
 * Connections of the HTTP transport. Its own agent has no limit (a connection per request in flight);
 * each request waits for its line to be fsync'd, so it is concurrency that lets one fsync cover many.
 */
export const GELF_HTTP_CONNECTIONS = 64;

/**
 * GELF over HTTP from winston-log2gelf (its HTTP transport: one `POST /gelf` per message, as Graylog's
 * GELF HTTP input takes them), on a keep-alive agent of GELF_HTTP_CONNECTIONS connections. The transport
 * does not report responses, so the run ends when the `logs` topic holds every line.
 *
 * Every published GELF HTTP client sends one message per request (winston-log2gelf, gelf-http,
 * pino-gelf; Graylog's bulk mode is an opt-in of its input that none of them uses), so the floor is
 * judged against /api/v1/logs in that shape; the ratio to the batched baseline is reported too.
 */
export const gelfHttpLoad: ProtocolLoad = {
  name: 'gelf-http',
  client: `${packageVersion('winston-log2gelf')}: one POST /gelf per message, ${GELF_HTTP_CONNECTIONS} keep-alive connections`,
  baseline: apiLogsPerLineLoad(GELF_HTTP_CONNECTIONS),
  async send({ url, lines }) {
    const before = await storedLines(url);
    const agent = new http.Agent({ keepAlive: true, maxSockets: GELF_HTTP_CONNECTIONS });
    const transport = new Log2gelf({ protocol: 'http', host: '127.0.0.1', port: Number(new URL(url).port), hostname: 'bench', service: 'bench', protocolOptions: { agent } });
    try {
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        transport.log({ level: line.level, message: line.text }, () => {});
        // The transport queues requests in the agent without limit: keep that queue short.
        if (i % 500 === 499) while (queuedRequests(agent) > 1_000) await sleep(1);
      }
      await waitUntilStored(url, before, lines.length);
    } finally {
      agent.destroy();
    }
  },
};

/**
 * GELF over UDP from graygelf (one socket, a plain datagram per message of this size). UDP has no flow
 * control and the kernel drops what the server cannot read in time, so the client is held to a window
 * ahead of what the server has stored (windowLines): this measures what the listener takes without loss.
 */
export const gelfUdpLoad: ProtocolLoad = {
  name: 'gelf-udp',
  client: `${packageVersion('graygelf')}: one datagram per message, windowed to the listener's receive buffer (at most ${MAX_WINDOW_LINES} lines ahead of the store)`,
  get serverArgs() {
    return listenerServerArgs();
  },
  async send({ url, lines, serverLog }) {
    if (serverLog === undefined) throw new Error('gelf-udp needs the server log (its bound port)');
    const port = listenerPort(serverLog(), 'gelf udp listening', 'udpPort');
    const windowSize = windowLines(listenerNumber(serverLog(), 'gelf udp listening', 'receiveBufferBytes'));
    const storedLines = new StoredLines(url);
    try {
      const before = await storedLines.count();
      const client = graygelf({ host: '127.0.0.1', port });
      let stored = 0;
      for (let i = 0; i < lines.length; i++) {
        while (i - stored >= windowSize) {
          await sleep(STORED_POLL_MS);
          stored = (await storedLines.count()) - before;
        }
        const line = lines[i]!;
        client[line.level].a(line.text, undefined, { service: 'bench' });
        if (i % 100 === 99) await yieldToLoop();
      }
      await waitUntilStored(url, before, lines.length);
    } finally {
      storedLines.close();
    }
  },
};

function queuedRequests(agent: http.Agent): number {
  let queued = 0;
  for (const requests of Object.values(agent.requests)) queued += requests?.length ?? 0;
  return queued;
}
