import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import zlib from 'node:zlib';
import gelfPro from 'gelf-pro';
import graygelf from 'graygelf';
import Log2gelf from 'winston-log2gelf';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ServerConfig } from '../../server/config/server-config.js';
import { DEFAULT_GELF_SETTINGS } from '../../server/ingest/protocols/gelf/index.js';
import { silentLogger } from '../../server/log/logger.js';
import { startServer } from '../../server/main.js';
import { metricValue, queryStreams, streamLines, waitForStreamLines } from '../helpers/loki-streams.js';
import { http, ManualClock, startTestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

async function gelfServer() {
  const server = await startTestServer({ config: { gelf: { ...DEFAULT_GELF_SETTINGS, host: '127.0.0.1', udpEnabled: true, udpPort: 0 } } });
  return { ...server, udpPort: server.gelfUdpPort! };
}

function sendUdp(port: number, datagrams: Buffer[]): Promise<void> {
  const socket = dgram.createSocket('udp4');
  return (async () => {
    for (const datagram of datagrams) await new Promise((resolve) => socket.send(datagram, port, '127.0.0.1', resolve));
    socket.close();
  })();
}

describe('GELF over UDP', () => {
  it('gelf-pro (zlib): a small message and a large one in many chunks, with fields and labels', async () => {
    const { url, udpPort } = await gelfServer();
    gelfPro.setConfig({ adapterName: 'udp', adapterOptions: { host: '127.0.0.1', port: udpPort, protocol: 'udp4' }, fields: { host: 'api-3', service: 'orders' } });
    // gelf-pro's levels are syslog's: 3 is error, 6 info.
    const send = (level: number, message: string, extra: object) =>
      new Promise<number>((resolve, reject) => gelfPro.message(message, level, extra, (err, bytes) => (err ? reject(err) : resolve(bytes!))));
    await send(3, 'order 17 failed', { order_id: 17, customer: { tier: 'gold' } });
    // Random hex compresses to about half: 40 KB of it is some 16 chunks of gelf-pro's 1388 bytes.
    const stack = randomBytes(20_000).toString('hex');
    const sent = await send(6, 'big payload', { full_message: stack });
    expect(sent).toBeGreaterThan(10 * 1388);

    const streams = await waitForStreamLines(url, '{service="orders"}', 2);
    expect(Object.fromEntries(streams.map((s) => [s.stream.level, s.stream]))).toEqual({
      error: { host: 'api-3', level: 'error', service: 'orders' },
      info: { host: 'api-3', level: 'info', service: 'orders' },
    });
    expect(streamLines(await queryStreams(url, '{service="orders"} | order_id=17 | customer_tier="gold" | severity="err"'))).toEqual(['order 17 failed']);
    // The whole 40 KB came through the chunks.
    expect(streamLines(await queryStreams(url, '{service="orders"} |= "big" | line_format "{{.full_message}}"'))).toEqual([stack]);
  });

  it('graygelf (gzip, chunked)', async () => {
    const { url, udpPort } = await gelfServer();
    const client = graygelf({ host: '127.0.0.1', port: udpPort, compressType: 'gzip', alwaysCompress: true, chunkSize: 500 });
    client.fields.service = 'billing';
    client.error.a('invoice overdue', randomBytes(2000).toString('base64'), { invoice: 'INV-9' });
    const [stream] = await waitForStreamLines(url, '{service="billing"}', 1);
    expect(stream!.stream.level).toBe('error');
    expect(streamLines(await queryStreams(url, '{service="billing"} | invoice="INV-9"'))).toEqual(['invoice overdue']);
  });

  it('counts malformed datagrams and chunks as rejected, and stays up', async () => {
    const { url, udpPort } = await gelfServer();
    const chunk = (id: number, seq: number, count: number, data: Buffer) => {
      const header = Buffer.from([0x1e, 0x0f, 0, 0, 0, 0, 0, 0, 0, id, seq, count]);
      return Buffer.concat([header, data]);
    };
    await sendUdp(udpPort, [
      Buffer.from('not json'),
      Buffer.from('{"host":"x"}'),
      Buffer.from([0x78, 0x9c, 0xde, 0xad]),
      zlib.gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20)),
      chunk(1, 5, 2, Buffer.from('x')),
      Buffer.from(JSON.stringify({ short_message: 'still alive', host: 'h', _service: 'canary' })),
    ]);
    await waitForStreamLines(url, '{service="canary"}', 1);
    await waitFor(async () => (await metricValue(url, 'sluice_listener_lines_rejected_total', 'protocol="gelf",reason="malformed"')) === 3);
    expect(await metricValue(url, 'sluice_listener_lines_rejected_total', 'protocol="gelf",reason="too_large"')).toBe(1);
    expect(await metricValue(url, 'sluice_listener_lines_rejected_total', 'protocol="gelf",reason="malformed_chunk"')).toBe(1);
    expect((await http(url, 'GET', '/healthz')).status).toBe(200);
  });

  it('drops a chunked message whose chunks do not all arrive within 5 s, and counts it', async () => {
    const clock = new ManualClock(Date.now());
    const server = await startTestServer({ clock, config: { gelf: { ...DEFAULT_GELF_SETTINGS, host: '127.0.0.1', udpEnabled: true, udpPort: 0 } } });
    const payload = Buffer.from(JSON.stringify({ short_message: 'never whole', _service: 'partial' }));
    const chunk = (seq: number, data: Buffer) => Buffer.concat([Buffer.from([0x1e, 0x0f, 1, 2, 3, 4, 5, 6, 7, 8, seq, 2]), data]);
    // A whole message after the first chunk: once it is stored, the chunk has been taken in too.
    await sendUdp(server.gelfUdpPort!, [chunk(0, payload.subarray(0, 10)), Buffer.from(JSON.stringify({ short_message: 'marker', _service: 'partial' }))]);
    await waitForStreamLines(server.url, '{service="partial"}', 1);
    clock.advance(5000);
    // Expiry runs as datagrams arrive: the next one finds the first message too old.
    await sendUdp(server.gelfUdpPort!, [chunk(1, payload.subarray(10)), Buffer.from(JSON.stringify({ short_message: 'later', _service: 'partial' }))]);
    await waitFor(async () => (await metricValue(server.url, 'sluice_listener_lines_dropped_total', 'protocol="gelf",reason="chunks_timed_out"')) === 1);
    expect(streamLines(await waitForStreamLines(server.url, '{service="partial"}', 2))).toEqual(['marker', 'later']);
  });

  it('with auth on, needs a _token the hook accepts', async () => {
    const config: ServerConfig = {
      ...DEFAULT_CONFIG,
      dataDir: tempDir(),
      host: '127.0.0.1',
      port: 0,
      auth: { ...DEFAULT_CONFIG.auth, enabled: false },
      gelf: { ...DEFAULT_GELF_SETTINGS, host: '127.0.0.1', udpEnabled: true, udpPort: 0 },
    };
    const server = await startServer(config, { logger: silentLogger, listenerAuth: (token) => token === 'k1' });
    try {
      const message = (line: string, token?: string) => Buffer.from(JSON.stringify({ short_message: line, host: 'h', _service: 'authz', ...(token ? { _token: token } : {}) }));
      await sendUdp(server.gelfUdpPort!, [message('good', 'k1'), message('bad', 'k2'), message('none')]);
      await waitFor(async () => (await metricValue(server.url, 'sluice_listener_lines_rejected_total', 'reason="unauthenticated"')) === 2);
      expect(streamLines(await waitForStreamLines(server.url, '{service="authz"}', 1))).toEqual(['good']);
      expect(JSON.stringify(await queryStreams(server.url, '{service="authz"} | line_format "{{.token}}"'))).not.toContain('k1');
    } finally {
      await server.close();
    }
  });
});

describe('GELF over HTTP: POST /gelf', () => {
  it('winston-log2gelf: lines with the documented labels, found by LogQL', async () => {
    const { url } = await startTestServer();
    const transport = new Log2gelf({ protocol: 'http', host: '127.0.0.1', port: Number(new URL(url).port), hostname: 'web-7', service: 'checkout', environment: 'prod' });
    transport.log({ level: 'warn', message: 'cart abandoned\nafter 3 steps', cartId: 'c-55' }, () => {});
    const [stream] = await waitForStreamLines(url, '{service="checkout"}', 1);
    // winston-log2gelf sends winston's level number (warn = 1) where GELF means syslog's (1 = alert).
    expect(stream!.stream).toEqual({ host: 'web-7', level: 'fatal', service: 'checkout' });
    expect(streamLines([stream!])).toEqual(['cart abandoned']);
    expect(streamLines(await queryStreams(url, '{service="checkout"} | cartId="c-55" | environment="prod" | full_message=~"cart abandoned\\nafter 3 steps"'))).toEqual(['cart abandoned']);
  });

  it('answers 202 to gzip (header) and zlib (magic bytes) bodies and to bulk lines', async () => {
    const { url } = await startTestServer();
    const message = (line: string) => JSON.stringify({ version: '1.1', host: 'h', short_message: line, _service: 'bulk', timestamp: 1_700_000_000.25, level: 6 });
    const gzip = await fetch(`${url}/gelf`, { method: 'POST', headers: { 'content-encoding': 'gzip' }, body: zlib.gzipSync(message('gz')) });
    expect([gzip.status, await gzip.text()]).toEqual([202, '']);
    expect((await fetch(`${url}/gelf`, { method: 'POST', body: zlib.deflateSync(message('zl')) })).status).toBe(202);
    expect((await fetch(`${url}/gelf`, { method: 'POST', body: `${message('b1')}\n${message('b2')}\n` })).status).toBe(202);
    const res = await http(url, 'GET', `/loki/api/v1/query_range?query=${encodeURIComponent('{service="bulk"}')}&start=1699999999000000000&end=1700000001000000000&direction=forward`);
    expect(res.json.data.result[0].values).toEqual([
      ['1700000000250000000', 'gz'],
      ['1700000000250000000', 'zl'],
      ['1700000000250000000', 'b1'],
      ['1700000000250000000', 'b2'],
    ]);
  });

  it('refuses malformed bodies with 400 (or 413) and writes nothing of them', async () => {
    const { url } = await startTestServer({ config: { http: { maxBodyBytes: 64 * 1024 } } });
    const post = async (body: string | Buffer) => {
      const res = await fetch(`${url}/gelf`, { method: 'POST', body });
      return [res.status, ((await res.json()) as { error: { code: string } }).error.code];
    };
    expect(await post('{oops')).toEqual([400, 'invalid_request']);
    expect(await post(JSON.stringify({ host: 'h' }))).toEqual([400, 'invalid_request']);
    expect(await post(JSON.stringify({ short_message: 'ok', _service: 'mixed' }) + '\n' + JSON.stringify({ short_message: 5 }))).toEqual([400, 'invalid_request']);
    expect(await post(zlib.gzipSync(Buffer.alloc(1024 * 1024, 0x20)))).toEqual([413, 'payload_too_large']);
    expect(await post(Buffer.from([0x1f, 0x8b, 1, 2]))).toEqual([400, 'invalid_request']);
    expect(streamLines(await queryStreams(url, '{service="mixed"}'))).toEqual([]);
    expect((await http(url, 'GET', '/healthz')).status).toBe(200);
  });
});
