import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_KAFKA_SETTINGS } from '../../server/config/server-config.js';
import { kcat } from '../helpers/kcat.js';
import { http, startTestServer } from '../helpers/server.js';

/** With auth on, Kafka clients authenticate with SASL/PLAIN, the password being a Sluice API token. */
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});

async function startSecuredServer() {
  const server = await startTestServer({ config: { auth: { enabled: true }, kafka: { ...DEFAULT_KAFKA_SETTINGS, port: 0 } } });
  const token = (scopes: string[]) => server.auth.tokens.create({ name: scopes.join('-'), scopes }).token;
  const admin = token(['admin']);
  const res = await http(server.url, 'POST', '/api/v1/topics', { name: 'guarded', partitions: 1 }, { authorization: `Bearer ${admin}` });
  expect(res.status).toBe(201);
  return { ...server, broker: `127.0.0.1:${server.kafka!.port}`, token };
}

function client(broker: string, password: string | null): Kafka {
  const sasl: SASLOptions | undefined = password === null ? undefined : { mechanism: 'plain', username: 'anyone', password };
  return new Kafka({ clientId: 'sasl-test', brokers: [broker], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 2000, ...(sasl ? { sasl } : {}) });
}

describe('SASL/PLAIN with API tokens', () => {
  it('an ingest token may produce but not consume; a read token may consume but not produce', async () => {
    const { broker, token } = await startSecuredServer();
    const writer = client(broker, token(['ingest'])).producer();
    await writer.connect();
    cleanups.push(() => writer.disconnect());
    await writer.send({ topic: 'guarded', messages: [{ value: 'secret' }] });

    const reader = client(broker, token(['read'])).producer();
    await reader.connect();
    cleanups.push(() => reader.disconnect());
    await expect(reader.send({ topic: 'guarded', messages: [{ value: 'nope' }] })).rejects.toThrow(/authoriz/i);

    const kcatAs = (password: string, args: string[]) =>
      kcat(broker, ['-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=PLAIN', '-X', 'sasl.username=u', '-X', `sasl.password=${password}`, ...args]);
    const read = await kcatAs(token(['read']), ['-C', '-t', 'guarded', '-o', 'beginning', '-e', '-q']);
    expect(read.stdout.toString()).toBe('secret\n');
    const denied = await kcatAs(token(['ingest']), ['-C', '-t', 'guarded', '-o', 'beginning', '-e', '-q']);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/authoriz/i);
  });

  it('a wrong token is refused, and a client without SASL is cut off before any request', async () => {
    const { broker } = await startSecuredServer();
    const wrong = client(broker, 'sluice_not_a_real_token').producer();
    await expect(wrong.connect()).rejects.toThrow(/SASL|authentication/i);
    const anonymous = client(broker, null).admin();
    await expect(anonymous.connect().then(() => anonymous.listTopics())).rejects.toThrow();
    await anonymous.disconnect();
  });
});
