import { Client } from '@elastic/elasticsearch';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import winston from 'winston';
import LokiTransport from 'winston-loki';
import { http, startTestServer } from '../helpers/server.js';

/** With auth on, each protocol's clients authenticate their usual way with an ingest token, and nothing gets in without one. */
describe('shipper protocols with auth on', () => {
  async function serverWithToken() {
    const server = await startTestServer({ config: { auth: { enabled: true } } });
    const { token } = server.auth.tokens.create({ name: 'shipper', scopes: ['ingest'] });
    // The records are read back with an admin token: an ingest token cannot read.
    const { token: admin } = server.auth.tokens.create({ name: 'reader', scopes: ['admin'] });
    const stored = async () => {
      const res = await http(server.url, 'GET', '/api/v1/topics/logs/offsets?at=latest', undefined, { authorization: `Bearer ${admin}` });
      return (res.json.offsets as Array<{ offset: number }>).reduce((n, o) => n + o.offset, 0);
    };
    return { url: server.url, token, stored };
  }

  it('Loki push: winston-loki with basic auth (any user, the token as password)', async () => {
    const { url, token, stored } = await serverWithToken();
    const send = async (basicAuth: string | undefined) => {
      const errors: unknown[] = [];
      const transport = new LokiTransport({ host: url, basicAuth, labels: { job: 'auth' }, gracefulShutdown: false, interval: 0.05, onConnectionError: (err: unknown) => errors.push(err) });
      winston.createLogger({ transports: [transport] }).info('hello');
      await transport.flush();
      transport.close();
      return errors;
    };
    expect(String((await send(undefined))[0])).toMatch(/401/);
    expect(await send(`promtail:${token}`)).toEqual([]);
    expect(await stored()).toBe(1);
  });

  it('Elasticsearch bulk: the official client with basic auth or a bearer token; GET / needs none', async () => {
    const { url, token, stored } = await serverWithToken();
    const anonymous = new Client({ node: url, maxRetries: 0 });
    expect((await anonymous.info()).tagline).toBe('You Know, for Search');
    await expect(anonymous.bulk({ operations: [{ index: { _index: 'a' } }, { message: 'x' }] })).rejects.toMatchObject({ meta: { statusCode: 401 } });
    for (const auth of [{ username: 'filebeat', password: token }, { bearer: token }]) {
      const client = new Client({ node: url, maxRetries: 0, auth });
      expect((await client.bulk({ operations: [{ index: { _index: 'a' } }, { message: 'x' }] })).errors).toBe(false);
      await client.close();
    }
    await anonymous.close();
    expect(await stored()).toBe(2);
  });

  it('OTLP: the exporter with an Authorization header', async () => {
    const { url, token, stored } = await serverWithToken();
    const send = async (headers: Record<string, string>) => {
      const results: number[] = [];
      const exporter = new OTLPLogExporter({ url: `${url}/v1/logs`, headers });
      const provider = new LoggerProvider({
        resource: resourceFromAttributes({ 'service.name': 'auth' }),
        processors: [
          new SimpleLogRecordProcessor({
            exporter: { export: (records, done) => exporter.export(records, (r) => (results.push(r.code), done(r))), shutdown: () => exporter.shutdown(), forceFlush: () => exporter.forceFlush() },
          }),
        ],
      });
      provider.getLogger('t').emit({ body: 'hello' });
      await provider.forceFlush();
      await provider.shutdown();
      return results;
    };
    // ExportResultCode: 0 SUCCESS, 1 FAILED.
    expect(await send({})).toEqual([1]);
    expect(await send({ Authorization: `Bearer ${token}` })).toEqual([0]);
    expect(await stored()).toBe(1);
  });
});
